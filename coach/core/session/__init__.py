"""One person's session: the timed plan, the personal plan (the routine as this person does it
today), the runner over its steps, the health profile and the safety check and stop rules.
"""
