"""线索移交: problems and inspections referred to a discipline body or the police."""
