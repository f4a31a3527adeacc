"""Dashboards and the rollups that keep their numbers fast and true."""
