"""What a referral's fields may name (docs/decisions/0015): the page offers these rows, the
API picks ids among them, and `do_refer` checks against them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ducha.core.choosers import Chooser
from ducha.fieldwork.models import Evidence
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org
from ducha.problems.choosers import ancestor_ids

RECEIVER_KINDS = (OrgKind.DISCIPLINE, OrgKind.POLICE)


def receivers(office: Org | None) -> QuerySet[Org]:
    """Discipline bodies and police of the office's region or of a region above it."""
    if office is None:
        return Org.objects.none()
    region = office.region
    if region is None:
        return Org.objects.none()
    return Org.objects.filter(
        kind__in=RECEIVER_KINDS, parent_id__in=ancestor_ids(region.path)
    ).order_by("tree_order")


def source_evidence(user: Any, problem: Any, inspection: Any) -> QuerySet[Evidence]:
    """The files of the source itself that the user may see: nothing else goes along."""
    rows = Evidence.objects.visible_to(user)
    if problem is not None:
        return rows.filter(problem_id=problem.pk)
    if inspection is not None:
        return rows.filter(inspection_id=inspection.pk)
    return rows.none()


RECEIVER = Chooser(
    "receiver",
    receivers,
    _("Choose a discipline body or a police body of your office's region or of a region above it."),
)
EVIDENCE = Chooser(
    "evidence",
    source_evidence,
    _("Choose files of the problem or the visit being referred."),
)
