"""Between clinic and home: the hand-over file, installing a plan, the report that goes back and
the clinic's patient list.
"""
