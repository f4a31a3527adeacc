"""Official documents generated from the data: lists, letters, bulletins, reports."""
