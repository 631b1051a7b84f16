"""What Coach knows before anyone exercises: the file format's records, exercises and routines,
reading and checking files, the library, the JSON Schema, the pose model for pictures, the
clinic's own exercises, the advice page and how doses are put into words.
"""
