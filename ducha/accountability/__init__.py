"""督查问效: accountability records and commendations of people and units."""
