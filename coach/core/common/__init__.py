"""Small helpers every room of the core uses: atomic file writes, the data folder, the week's days,
the person's preferences. Imports nothing else of Coach.
"""
