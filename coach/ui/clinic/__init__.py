"""Clinician mode: the routine editor, the hand-over and the Patients list."""
