"""Every state change of a policy (政策措施): adopting one for a kind of common problem,
linking more problems to it later, and attaching the issued document's file. Atomic; one
immutable PolicyEvent per call, and each linked problem its own 建 event through the loop
(docs/policies.md).

Callers reach a policy through `access_policy(user, id, action)` first; these functions check
the input and the problems themselves: in the caller's scope, common, of one kind, with no
lasting rule yet and answered by no other policy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.dates import date_error
from ducha.core.errors import InvalidInput, StaleVersion
from ducha.core.scope import roles_of
from ducha.core.scoping import not_in_scope
from ducha.core.text import LINE, LONG, TITLE, clean_text
from ducha.orgs.models import Org
from ducha.policies import choosers, files
from ducha.policies.choices import ACTION_ROLES, MAX_PROBLEMS, PolicyAction
from ducha.policies.models import Policy, PolicyDocument, PolicyEvent, PolicyProblem
from ducha.policies.querysets import PolicyQuerySet
from ducha.problems.actions import do_institutionalize_many
from ducha.problems.choices import Action, Nature
from ducha.problems.models import Problem


def _titles(problems: Sequence[Problem]) -> str:
    return "、".join(f"“{problem.title}”" for problem in problems[:5])


def answerable(user: Any) -> Any:
    """The common problems the user's command HQ may answer with a policy (建 is its too)."""
    return Problem.objects.visible_to(user, Action.INSTITUTIONALIZE).filter(nature=Nature.COMMON)


def waiting(user: Any) -> Any:
    """Answerable problems still waiting for a policy: no rule, linked to none."""
    return answerable(user).filter(rule="").exclude(pk__in=PolicyProblem.objects.values("problem"))


def chosen_problems(
    acting_user: Any, problem_ids: Sequence[int], focus_area_id: int | None = None
) -> list[Problem]:
    """The problems of one kind the caller chose, checked one rule at a time, each refusal
    naming `problems` and the problems at fault."""
    ids = list(dict.fromkeys(problem_ids))
    if not ids:
        raise InvalidInput(_("Choose at least one problem."), "problems")
    if len(ids) > MAX_PROBLEMS:
        raise InvalidInput(
            _("Answer at most %(count)s problems with one action; this chooses %(chosen)s.")
            % {"count": MAX_PROBLEMS, "chosen": len(ids)},
            "problems",
        )
    seen = list(Problem.objects.visible_to(acting_user).filter(pk__in=ids).order_by("pk"))
    if len(seen) != len(ids):
        raise not_in_scope("problems")
    individual = [problem for problem in seen if problem.nature != Nature.COMMON]
    if individual:
        raise InvalidInput(
            _("Only common problems are answered by a policy; not %(titles)s.")
            % {"titles": _titles(individual)},
            "problems",
        )
    answer = set(answerable(acting_user).filter(pk__in=ids).values_list("pk", flat=True))
    if len(answer) != len(ids):
        raise PermissionDenied(str(PolicyQuerySet.refusal))
    kinds = {problem.focus_area_id for problem in seen}
    if len(kinds) > 1 or (focus_area_id is not None and kinds != {focus_area_id}):
        raise InvalidInput(
            _("A policy answers one kind of problem: choose problems of one focus area."),
            "problems",
        )
    ruled = [problem for problem in seen if problem.rule]
    if ruled:
        raise InvalidInput(
            _("These problems already have a lasting rule, which is not replaced: %(titles)s.")
            % {"titles": _titles(ruled)},
            "problems",
        )
    linked = PolicyProblem.objects.filter(problem__in=seen).select_related("problem")
    if taken := [link.problem for link in linked]:
        raise InvalidInput(
            _("These problems are already answered by a policy: %(titles)s.")
            % {"titles": _titles(taken)},
            "problems",
        )
    return seen


def _issued_on(value: date | None) -> date:
    if value is None:
        raise InvalidInput(_("This field is required."), "issued_on")
    if (message := date_error(value)) is not None:
        raise InvalidInput(message, "issued_on")
    if value > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."), "issued_on")
    return value


def _link(
    policy: Policy,
    problems: list[Problem],
    acting_user: Any,
    expected_versions: Mapping[int, int] | None,
) -> None:
    now = timezone.now()
    PolicyProblem.objects.bulk_create(
        [
            PolicyProblem(policy=policy, problem=problem, linked_at=now, linked_by=acting_user)
            for problem in problems
        ]
    )
    do_institutionalize_many(
        problems,
        acting_user=acting_user,
        rule=policy.rule,
        expected_versions=expected_versions,
        policy=policy.pk,
        policy_title=policy.title,
    )


@transaction.atomic
def do_adopt_policy(
    *,
    acting_user: Any,
    title: str,
    text: str,
    issuing_body: Org,
    issued_on: date | None,
    reference: str = "",
    problem_ids: Sequence[int],
    expected_versions: Mapping[int, int] | None = None,
    document: UploadedFile | None = None,
) -> Policy:
    """研究出台政策措施: the command HQ records a measure answering a kind of common problem;
    each chosen problem takes it as its lasting rule (建), with its own event. The issued
    document's file may come with it."""
    if not ACTION_ROLES[PolicyAction.ADOPT] & roles_of(acting_user):
        raise PermissionDenied(str(PolicyQuerySet.refusal))
    title = clean_text(title, "title", max_length=TITLE, required=True, one_line=True)
    text = clean_text(text, "text", max_length=LONG, required=True)
    reference = clean_text(reference, "reference", max_length=LINE, one_line=True)
    choosers.ISSUING_BODY.check(issuing_body, acting_user)
    issued_on = _issued_on(issued_on)
    prepared = files.prepare(document) if document is not None else None
    problems = chosen_problems(acting_user, problem_ids)
    policy = Policy.objects.create(
        title=title,
        text=text,
        issuing_body=issuing_body,
        issued_on=issued_on,
        reference=reference,
        focus_area_id=problems[0].focus_area_id,
        adopted_by=acting_user,
    )
    _link(policy, problems, acting_user, expected_versions)
    stored = files.store(policy, prepared, acting_user) if prepared is not None else None
    PolicyEvent.objects.create(
        policy=policy,
        actor=acting_user,
        action=PolicyAction.ADOPT,
        comment=text,
        payload={
            "title": title,
            "issuing_body": issuing_body.pk,
            "issued_on": issued_on.isoformat(),
            "reference": reference,
            "focus_area": policy.focus_area_id,
            "problems": [problem.pk for problem in problems],
            **(_described(stored) if stored is not None else {}),
        },
    )
    return policy


def _described(row: PolicyDocument) -> dict[str, Any]:
    return {
        "policy_document": row.pk,
        "document_name": row.original_name,
        "document_size": row.size,
        "document_sha256": row.sha256,
    }


def stale_version() -> StaleVersion:
    return StaleVersion(_("The policy has changed since you opened it; reload it and try again."))


@transaction.atomic
def do_link_problems(
    policy: Policy,
    *,
    acting_user: Any,
    problem_ids: Sequence[int],
    expected_versions: Mapping[int, int] | None = None,
    expected_version: int | None = None,
) -> Policy:
    """More problems of the policy's kind take its rule (建), each with its own event."""
    if not Policy.objects.visible_to(acting_user, PolicyAction.LINK).filter(pk=policy.pk).exists():
        raise PermissionDenied(str(PolicyQuerySet.refusal))
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if expected_version is not None and expected_version != policy.version:
        raise stale_version()
    problems = chosen_problems(acting_user, problem_ids, policy.focus_area_id)
    policy.version += 1
    policy.save(update_fields=["version"])
    _link(policy, problems, acting_user, expected_versions)
    PolicyEvent.objects.create(
        policy=policy,
        actor=acting_user,
        action=PolicyAction.LINK,
        payload={"problems": [problem.pk for problem in problems]},
    )
    return policy


@transaction.atomic
def do_attach_policy_document(
    policy: Policy,
    *,
    acting_user: Any,
    document: UploadedFile | None,
    expected_version: int | None = None,
) -> Policy:
    """Attach the issued document's file to a policy, or replace the one attached: the
    earlier file stays on record, named by the event that replaced it."""
    allowed = Policy.objects.visible_to(acting_user, PolicyAction.ATTACH)
    if not allowed.filter(pk=policy.pk).exists():
        raise PermissionDenied(str(PolicyQuerySet.refusal))
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if expected_version is not None and expected_version != policy.version:
        raise stale_version()
    if document is None:
        raise InvalidInput(_("Choose the file of the issued document."), "document")
    prepared = files.prepare(document)
    replaced = policy.document
    policy.version += 1
    policy.save(update_fields=["version"])
    stored = files.store(policy, prepared, acting_user)
    PolicyEvent.objects.create(
        policy=policy,
        actor=acting_user,
        action=PolicyAction.ATTACH,
        payload={
            **_described(stored),
            "replaced_document": replaced.pk if replaced is not None else None,
        },
    )
    return policy
