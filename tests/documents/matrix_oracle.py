"""What the documents matrix expects, written from the specification, not from the code.

Documents under test are issued by 双桥区督查办 ("the county's office"): a draft bulletin, an
issued bulletin, a rectification letter to 双桥区卫健局, a problem list naming a problem of
卫健局, prompt letters to the office of 水泉沟镇 (a town of the county) and to the city's
command HQ, a notice (通知) and a referral letter (线索移交函) to the county's discipline body.
"""

from __future__ import annotations

from tests.matrix.oracle import PERSONAS

# Office staff of the issuer's jurisdiction and above: read everything, drafts included, and
# draft, edit and issue. Administrators (三员) see no document.
OFFICES = {"county_office", "city_office", "province_office"}
# Leaders and discipline bodies of the jurisdiction and above read what was issued.
READERS = {"county_leader", "county_discipline", "city_leader", "province_leader"}

SEES: dict[str, set[str]] = {
    "draft": OFFICES,
    "bulletin": OFFICES | READERS,
    # Addressed to 卫健局: its handler reads it.
    "letter": OFFICES | READERS | {"county_handler"},
    # Names a problem of 卫健局: its handler reads it; the market unit's does not.
    "list": OFFICES | READERS | {"county_handler"},
    # Addressed to the town's office, which is below the issuer.
    "prompt": OFFICES | READERS | {"town_office"},
    # Addressed to the city's command HQ, which otherwise reads no documents.
    "command_prompt": OFFICES | READERS | {"city_command"},
    # Addressed to nobody in particular: the jurisdiction's offices and readers.
    "notice": OFFICES | READERS,
    # Addressed to the discipline body, which reads its jurisdiction's documents anyway; the
    # unit whose problem was referred does not read it.
    "referral_letter": OFFICES | READERS,
}


def expected(persona: str, obj: str, action: str) -> str:
    """ "ok", "missing" (404), "forbidden" (403) or "conflict" (409)."""
    assert persona in PERSONAS
    if persona not in SEES[obj]:
        return "missing"
    if action == "view":
        return "ok"
    if action == "download":
        # Only issued documents have files.
        return "missing" if obj == "draft" else "ok"
    if persona not in OFFICES:
        return "forbidden"
    return "ok" if obj == "draft" else "conflict"
