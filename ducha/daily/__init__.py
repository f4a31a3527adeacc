"""The daily cycle: teams' daily reports, the office's summary, the meeting agenda."""
