"""Settings and the person's data (export, backup, restore, delete)."""
