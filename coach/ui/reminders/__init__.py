"""The system tray and its reminders."""
