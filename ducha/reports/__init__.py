"""Dashboards: the read side of the rollups kept by ducha.problems.rollups."""
