"""When Coach reminds: the reminder schedule for the tray and `coach reminders`. Kept lean, because
the tray process waits all day with it.
"""
