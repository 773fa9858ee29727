"""Background work inside the server process (imports today; schedules later)."""
