"""意见建议: suggestions to units, offices and the command HQ, and their adoption."""
