"""Every line a scoped model declares has its case: a condition or a narrowing added without
one fails here, not in production."""

from __future__ import annotations

from django.apps import apps

from ducha.core.scoping import ScopedQuerySet
from tests.scoping import (
    test_conditions_accountability,
    test_conditions_cadres,
    test_conditions_fieldwork,
    test_conditions_loop,
    test_conditions_matters,
    test_conditions_policies,
    test_conditions_records,
    test_conditions_referrals,
    test_conditions_reportforms,
    test_conditions_resumption,
    test_conditions_suggestions,
    test_conditions_sweeps,
)

MODULES = (
    test_conditions_loop,
    test_conditions_fieldwork,
    test_conditions_records,
    test_conditions_matters,
    test_conditions_referrals,
    test_conditions_cadres,
    test_conditions_accountability,
    test_conditions_suggestions,
    test_conditions_resumption,
    test_conditions_reportforms,
    test_conditions_policies,
    test_conditions_sweeps,
)


def _scoped_querysets() -> set[type[ScopedQuerySet]]:
    """The rule-book of every scoped model, and every other rule-book declared anywhere (an
    app's rules for another app's model, read with `access(…, rules=…)`)."""
    found = set()
    for model in apps.get_models():
        rows = model._default_manager.all()
        if isinstance(rows, ScopedQuerySet):
            found.add(type(rows))
    pending = [ScopedQuerySet]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.conditions:
                found.add(subclass)
    return found


def test_every_condition_line_has_a_case() -> None:
    declared = {(qs, role) for qs in _scoped_querysets() for role in qs.conditions}
    tested = {(case.queryset, case.key) for module in MODULES for case in module.CASES}
    assert declared == tested


def test_every_acting_line_has_a_case() -> None:
    declared = {(qs, action) for qs in _scoped_querysets() for action in qs.acting_conditions}
    tested = {
        (case.queryset, case.key) for module in MODULES for case in getattr(module, "ACTING", ())
    }
    assert declared == tested


def test_every_scoped_model_declares_its_rules() -> None:
    querysets = _scoped_querysets()
    names = {
        model.__name__
        for qs in querysets
        for model in apps.get_models()
        if type(model._default_manager.all()) is qs
    }
    assert names >= {
        "Org",
        "Site",
        "Team",
        "Problem",
        "ChecklistItem",
        "Meeting",
        "Task",
        "Inspection",
        "Revisit",
        "Evidence",
        "DailyReport",
        "DailySummary",
        "Document",
        "ImportBatch",
        "Referral",
        "CadreObservation",
        "CadreCandidate",
        "Accountability",
        "Commendation",
        "Suggestion",
        "Policy",
    }
    for qs in querysets:
        assert qs.action_roles, qs
        assert qs.conditions, qs
        # A role the rule-book does not let see the model reaches nothing of it anyway.
        assert set(qs.conditions) <= set(qs.action_roles["view"]), qs
