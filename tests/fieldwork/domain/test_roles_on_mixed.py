"""A user holding several roles gets each role whose jurisdiction reaches the object, in one
query, even when one role's condition goes through a relation the object does not have."""

import pytest

from ducha.accounts.models import Membership
from ducha.core.scope import forget_grants
from ducha.fieldwork import actions
from ducha.fieldwork.models import Inspection
from tests.fieldwork.domain.factory import item

pytestmark = pytest.mark.django_db


def test_roles_on_counts_each_role_once_in_one_query(world, django_assert_num_queries):
    user = world.users["county_office"]
    Membership.objects.create(user=user, org=world.orgs["county_dept"], role="unit_handler")
    forget_grants(user)
    question = item(world)
    # No task: the unit handler's condition (joined tasks) cannot match, the office's must.
    inspection = actions.do_record_inspection(
        acting_user=world.users["county_team_member"],
        team=world.teams["county_team"],
        method="open",
        visited_at=question.created_at,
        sites=[world.sites["checkpoint"]],
        answers=[actions.AnswerInput(item=question, result="pass")],
    )
    user = type(user).objects.get(pk=user.pk)
    Inspection.objects.roles_on(user, inspection.pk)  # grants loaded and cached
    with django_assert_num_queries(1):
        roles = Inspection.objects.roles_on(user, inspection.pk)
    assert roles == {"office_staff"}
