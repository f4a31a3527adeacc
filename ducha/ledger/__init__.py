"""Excel ledgers: problem lists out, problems in."""
