"""The daily cycle: teams' daily reports, the office's summary, the meeting agenda. over JSON."""

from ninja import Router

router = Router(tags=["daily"])
