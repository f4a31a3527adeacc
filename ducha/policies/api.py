"""政策措施: the command HQ's answer to a kind of common problem (docs/policies.md)."""

from ninja import Router

router = Router(tags=["policies"])
