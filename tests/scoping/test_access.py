"""The one access core: 404 for a bad id, a missing row and a row out of scope alike; 403 with
the model's message for a visible row the role may not act on; the roles as a typed value."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.utils import translation

from ducha.accounts.choices import Role
from ducha.accounts.models import Membership
from ducha.core import scope
from ducha.core.scope import forget_grants, grants_for
from ducha.core.scoping import Access, access
from ducha.documents.models import Document
from ducha.fieldwork.choices import FieldAction
from ducha.fieldwork.models import Task
from ducha.ledger.models import ImportBatch
from ducha.problems.choices import Action
from ducha.problems.models import Problem, ProblemEvent
from tests.scoping.test_conditions_fieldwork import _task
from tests.scoping.test_conditions_records import _batch, _document
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The refusals are read in English here; the screens translate them.
    with translation.override("en"):
        yield


@pytest.mark.parametrize("bad", ["abc", None, "", "1.5", [1]])
def test_a_bad_id_is_not_found(world: World, bad: object) -> None:
    with pytest.raises(Http404):
        access(Problem, world.users["county_office"], bad)


def test_missing_and_out_of_scope_are_the_same_404(world: World) -> None:
    sibling = world.problem(by="sibling_office", region="sibling")
    office = world.users["county_office"]
    for pk in (sibling.pk, sibling.pk + 1000):
        with pytest.raises(Http404):
            access(Problem, office, pk)
        # Even for an action the role could take: existence is not given away.
        with pytest.raises(Http404):
            access(Problem, office, pk, Action.ASSIGN)


@pytest.mark.parametrize("who", ["outsider", "anonymous", "inactive"])
def test_nobody_without_a_grant_gets_anything(world: World, who: str) -> None:
    problem = world.problem()
    user = (
        AnonymousUser()
        if who == "anonymous"
        else world.users["outsider" if who == "outsider" else "county_office"]
    )
    if who == "inactive":
        user.is_active = False
    with pytest.raises(Http404):
        access(Problem, user, problem.pk)


def test_visible_but_not_allowed_is_403_with_the_models_message(world: World) -> None:
    problem = world.problem()
    with pytest.raises(PermissionDenied) as refused:
        access(Problem, world.users["county_leader"], problem.pk, Action.ASSIGN)
    assert str(refused.value) == "Your role may not take this action on this problem."
    draft = _document(world, "county_office", issued=False)
    with pytest.raises(PermissionDenied) as refused:
        access(
            Document,
            world.users["county_leader"],
            _document(world, "county_office", issued=True).pk,
            "edit",
        )
    assert str(refused.value) == "Your role may not do this with this document."
    # The uploader alone decides on a batch the county office reads.
    batch = _batch(world, "county", by="county_team_member")
    assert access(ImportBatch, world.users["county_office"], batch.pk).roles == {Role.OFFICE_STAFF}
    with pytest.raises(PermissionDenied) as refused:
        access(ImportBatch, world.users["county_office"], batch.pk, "confirm")
    assert str(refused.value) == "Only the person who uploaded this file may decide on it."
    assert access(ImportBatch, world.users["county_team_member"], batch.pk, "confirm").roles == {
        "owner"
    }
    assert access(Document, world.users["county_office"], draft.pk, "edit").obj == draft


def test_an_acting_condition_refuses_what_the_role_sees_but_does_not_own(world: World) -> None:
    # The county office sees the city's visit into the county, joins it, but cannot cancel it.
    task = _task(world, "city_office", team="province_team", site="checkpoint")
    office = world.users["county_office"]
    assert access(Task, office, task.pk, FieldAction.JOIN_TASK).obj == task
    with pytest.raises(PermissionDenied) as refused:
        access(Task, office, task.pk, FieldAction.CANCEL_TASK)
    assert str(refused.value) == "Your role may not take this action here."
    assert access(Task, world.users["city_office"], task.pk, FieldAction.CANCEL_TASK).obj == task


def test_the_roles_come_back_typed_with_the_object(world: World, django_assert_num_queries) -> None:
    office = world.users["county_office"]
    Membership.objects.create(user=office, org=world.orgs["county_dept"], role=Role.UNIT_HANDLER)
    forget_grants(office)
    problem = world.assigned("county_dept")
    grants_for(office)  # computed once per request, as in a view
    with django_assert_num_queries(2):  # the roles in one aggregate, then the row
        found = access(Problem, office, problem.pk, Action.SUBMIT_RECTIFICATION)
    assert isinstance(found, Access)
    assert found.obj == problem and isinstance(found.obj, Problem)
    assert found.roles == frozenset({Role.OFFICE_STAFF, Role.UNIT_HANDLER})
    assert isinstance(found.roles, frozenset)
    # Nothing is patched onto the instance, and what the page shows came with it.
    assert not hasattr(found.obj, "viewer_roles")
    with django_assert_num_queries(0):
        assert found.obj.region.name == "双桥区"


def test_the_roles_are_those_that_see_not_only_those_that_act(world: World) -> None:
    problem = world.assigned("county_dept")
    found = access(Problem, world.users["county_handler"], problem.pk, Action.DISPUTE)
    assert found.roles == {Role.UNIT_HANDLER}
    assert access(Problem, world.users["county_leader"], problem.pk).roles == {Role.LEADER}


def test_a_model_without_a_scoped_queryset_has_no_access(world: World) -> None:
    event = ProblemEvent.objects.first()
    with pytest.raises(TypeError):
        access(ProblemEvent, world.users["county_office"], event.pk if event else 1)


def test_grants_need_their_source(world: World, monkeypatch) -> None:
    # Core holds the grants; the accounts app computes them (named in its AppConfig.ready).
    monkeypatch.setattr(scope, "_source", None)
    user = type(world.users["county_office"]).objects.get(pk=world.users["county_office"].pk)
    with pytest.raises(ImproperlyConfigured):
        grants_for(user)
