"""Official documents generated from the data: lists, letters, bulletins, reports. over JSON."""

from ninja import Router

router = Router(tags=["documents"])
