"""What the person recorded and what it means: the SQLite store, the read-only history, statistics
and progression, the export.
"""
