"""What a person browses: the home page with the routines to start, the exercise library, one
exercise in full, the advice page.
"""
