"""线索移交函: the letter that goes with a referral (线索移交) to the discipline body or the
police. Addressed to the receiving body, it states where the clue came from (a problem or
an inspection), the facts, the evidence handed over and the referring office; the office
adds its opening and what it asks of the receiver.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.errors import InvalidInput
from ducha.core.scoping import not_in_scope
from ducha.documents.kinds.common import (
    Block,
    Drafted,
    Headings,
    as_int,
    date_label,
    in_region,
    issuer_region,
    moment_label,
    paragraph,
    written_paragraphs,
    written_section,
)
from ducha.fieldwork.choices import EvidenceKind
from ducha.orgs.models import Org
from ducha.referrals.models import Referral

# A letter lists at most this many pieces of evidence; the rest are counted.
MAX_EVIDENCE = 200
RELATED = ("problem", "inspection__team", "region", "referring_office", "receiver")


def referrals_for(user: Any) -> Any:
    """The referrals the user may open (the referrals' own rule-book)."""
    return Referral.objects.visible_to(user)


def _referral_for(user: Any, referral_id: Any) -> Referral | None:
    """One referral the user may see, or None (missing and out of scope alike)."""
    try:
        pk = int(referral_id)
    except (TypeError, ValueError):
        return None
    return referrals_for(user).filter(pk=pk).first()


def _source(referral: Referral) -> dict[str, Any]:
    if referral.problem is not None:
        problem = referral.problem
        return {
            "kind": "problem",
            "id": problem.pk,
            "title": problem.title,
            "found_at": problem.found_at.isoformat(),
        }
    inspection = referral.inspection
    assert inspection is not None
    return {
        "kind": "inspection",
        "id": inspection.pk,
        "title": str(inspection.team),
        "found_at": inspection.visited_at.isoformat(),
    }


def _evidence(referral: Referral) -> tuple[list[dict[str, Any]], int]:
    pieces = referral.evidence.order_by("uploaded_at", "pk")
    rows = [
        {
            "name": piece.original_name,
            "kind": piece.kind,
            "uploaded_at": piece.uploaded_at.isoformat(),
            "sha256": piece.sha256,
        }
        for piece in pieces[:MAX_EVIDENCE]
    ]
    return rows, pieces.count()


class ReferralLetterKind:
    kind = "referral_letter"
    text_keys = [
        ("intro", gettext_lazy("Opening")),
        ("requests", gettext_lazy("What is asked of the receiver")),
    ]

    def default_title(self, issuer: Org, params: dict[str, Any], drafted: Drafted) -> str:
        return _("Letter referring a clue on “%(title)s”") % {
            "title": drafted.data["source"]["title"]
        }

    def default_addressee(self, issuer: Org, drafted: Drafted) -> str:
        return drafted.recipient.name if drafted.recipient else ""

    def default_texts(self) -> dict[str, str]:
        return {
            "intro": _(
                "In the course of supervision we found the clue set out below, which may call "
                "for accountability or legal action. It is hereby referred to you."
            ),
            "requests": _(
                "Please deal with it according to the rules, discipline and law, and let us "
                "know through Ducha whether you accept it and, in time, its outcome."
            ),
        }

    def clean_params(self, issuer: Org, raw: dict[str, Any]) -> dict[str, Any]:
        if raw.get("referral") in (None, ""):
            raise InvalidInput(_("This field is required."), "referral")
        referral = (
            Referral.objects.filter(in_region(issuer_region(issuer)))
            .filter(pk=as_int(raw["referral"], "referral"))
            .only("pk")
            .first()
        )
        if referral is None:
            raise not_in_scope("referral")
        return {"referral": referral.pk}

    def draft(self, issuer: Org, params: dict[str, Any], now: datetime) -> Drafted:
        referral = (
            Referral.objects.filter(in_region(issuer_region(issuer)))
            .select_related(*RELATED)
            .get(pk=params["referral"])
        )
        evidence, evidence_count = _evidence(referral)
        data = {
            "referral": referral.pk,
            "source": _source(referral),
            "region": referral.region.name,
            "facts": referral.facts,
            "evidence": evidence,
            "evidence_count": evidence_count,
            "referring_office": referral.referring_office.name,
            "receiver": referral.receiver.name,
            "referred_on": timezone.localdate(referral.referred_at).isoformat(),
        }
        problem_ids = [referral.problem_id] if referral.problem_id else []
        return Drafted(data, problem_ids, referral.receiver)

    def compose(self, texts: dict[str, str], data: dict[str, Any]) -> list[Block]:
        heading = Headings()
        source = data["source"]
        blocks = written_paragraphs(texts.get("intro", ""))
        blocks.append(heading(1, _("Where the clue comes from")))
        if source["kind"] == "problem":
            line = _("The problem “%(title)s” in %(region)s, found on %(day)s.")
        else:
            line = _("The inspection by %(title)s in %(region)s on %(day)s.")
        blocks.append(
            paragraph(
                line
                % {
                    "title": source["title"],
                    "region": data["region"],
                    "day": moment_label(source["found_at"]),
                }
            )
        )
        blocks.append(heading(1, _("The facts")))
        blocks += [paragraph(text) for text in data["facts"].splitlines() if text.strip()]
        blocks.append(heading(1, _("Evidence handed over")))
        evidence = data["evidence"]
        if evidence:
            blocks.append(
                Block(
                    "table",
                    header=[_("No."), _("Material"), _("Kind"), _("Collected")],
                    rows=[
                        [
                            str(position),
                            piece["name"],
                            _evidence_kind(piece["kind"]),
                            moment_label(piece["uploaded_at"]),
                        ]
                        for position, piece in enumerate(evidence, 1)
                    ],
                    widths=[13, 83, 25, 35],
                )
            )
            if data["evidence_count"] > len(evidence):
                blocks.append(
                    paragraph(
                        _("%(count)s pieces of evidence in all; the first %(shown)s are listed.")
                        % {"count": data["evidence_count"], "shown": len(evidence)}
                    )
                )
        else:
            blocks.append(paragraph(_("No evidence was attached to the referral.")))
        blocks.append(heading(1, _("Referring office")))
        blocks.append(
            paragraph(
                _("%(office)s, referred on %(day)s.")
                % {
                    "office": data["referring_office"],
                    "day": date_label(data["referred_on"]),
                }
            )
        )
        blocks += written_section(heading, _("Requests"), texts.get("requests"))
        return blocks


def _evidence_kind(kind: str) -> str:
    return str(EvidenceKind(kind).label) if kind in EvidenceKind.values else kind
