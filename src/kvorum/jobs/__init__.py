"""Background work claimed from the database, run by every server process."""
