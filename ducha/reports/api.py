"""Dashboards and the rollups that keep their numbers fast and true. over JSON."""

from ninja import Router

router = Router(tags=["reports"])
