"""This person's own state in the data folder (health answers, accepted dose steps, walking
test, installed plans), gathered in one place for the personal plan. The only room that reads
from every other: the others do not import it.
"""
