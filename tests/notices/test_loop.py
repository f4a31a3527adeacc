"""The problem loop tells the right people, through HTTP as the personas act."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.notices.models import HandledSource, Notification
from ducha.problems import actions, notifying
from ducha.problems.models import ProblemEvent

pytestmark = pytest.mark.django_db


def later(**delta) -> str:
    return timezone.localtime(timezone.now() + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


def told(world, key: str, **filters) -> list[Notification]:
    return list(Notification.objects.filter(recipient=world.users[key], **filters))


def assign_by_page(world, login, committing, problem, unit="county_dept"):
    client = login(world, "county_office")
    with committing():
        response = client.post(
            f"/problems/{problem.pk}/act/assign/",
            {"responsible_org": world.orgs[unit].pk, "deadline": later(days=2), "comment": "速办"},
        )
    assert response.status_code in (200, 302, 303)
    return response


def test_assignment_tells_the_unit_handler_and_not_the_actor_nor_outsiders(
    world, login, committing
):
    problem = world.problem()
    assign_by_page(world, login, committing, problem)

    [note] = told(world, "county_handler")
    assert note.kind == "assigned"
    assert problem.title in note.title
    assert "区督查办干部" in note.body  # by whom
    assert "双桥区卫健局" in note.body  # to which unit
    assert note.next_step
    assert note.url == f"/problems/{problem.pk}/"
    assert note.source_key.startswith("problem-event:")
    for key in ("county_office", "market_handler", "sibling_handler", "outsider", "other_office"):
        assert told(world, key) == [], key


def test_the_text_is_in_the_recipients_language(world, login, committing):
    problem = world.problem()
    assign_by_page(world, login, committing, problem)
    [note] = told(world, "county_handler")
    # zh-Hans, the deployment's language (accounts keep no language of their own).
    assert note.title == f"【交办】{problem.title}"
    assert "将此问题交办给双桥区卫健局" in note.body and note.next_step.startswith("请签收")


def test_urge_reaches_the_unit_and_a_rectification_reaches_the_verifiers(world, login, committing):
    problem = world.assigned()
    client = login(world, "county_team_member")
    with committing():
        client.post(f"/problems/{problem.pk}/act/urge/", {"comment": "请抓紧"})
    assert [n.kind for n in told(world, "county_handler")] == ["urged"]

    handler = login(world, "county_handler")
    with committing():
        handler.post(f"/problems/{problem.pk}/act/submit_rectification/", {"text": "已整改"})
    assert [n.kind for n in told(world, "county_office")] == ["rectification_submitted"]
    # The handler acted: they are not told of their own report.
    assert [n.kind for n in told(world, "county_handler")] == ["urged"]
    # Nobody outside the county hears of it.
    assert told(world, "sibling_office") == []


def test_a_dispute_goes_to_the_office_and_its_decision_to_both_units(world, committing):
    problem = world.assigned()
    with committing():
        actions.do_dispute(problem, acting_user=world.users["county_handler"], reason="不归我们管")
    assert [n.kind for n in told(world, "county_office")] == ["disputed"]
    with committing():
        actions.do_decide_dispute(
            problem,
            acting_user=world.users["county_office"],
            decision="reassign",
            comment="改派市场监管局",
            responsible_org=world.orgs["county_market_dept"],
        )
    [new] = told(world, "market_handler")
    assert new.kind == "dispute_decided" and new.url
    [old] = told(world, "county_handler", kind="dispute_decided")
    # The former unit may no longer open the problem: no link, no other unit named.
    assert old.url == "" and "市场监管局" not in old.body


def test_a_problem_the_recipient_may_not_see_is_not_notified(world, committing):
    """Escalation names the sibling county's office too: it may not see this county's
    problem, so it is dropped; the city office above is told."""
    problem = world.assigned()
    with committing():
        actions._record(
            problem,
            None,
            world.users["county_office"],
            "escalate",
            problem.state,
            escalated_to=[world.orgs["city_office"].pk, world.orgs["sibling_office"].pk],
        )
    assert [n.kind for n in told(world, "city_office")] == ["escalated"]
    assert told(world, "sibling_office") == []


def test_automatic_reminders_name_their_kind(world, committing):
    problem = world.assigned()
    for ladder, kind in [("yellow", "yellow"), ("overdue", "overdue"), ("unsigned", "not_signed")]:
        with committing():
            actions._record(
                problem,
                None,
                world.users["county_office"],
                "urge",
                problem.state,
                automatic=ladder,
            )
        assert told(world, "county_handler", kind=kind), kind


def test_made_twice_an_events_notifications_are_stored_once(world, eager):
    problem = world.assigned()  # on-commit not run: nothing made yet
    event = ProblemEvent.objects.get(problem=problem, action="assign")
    assert notifying.notify_event(event.pk) == 1
    assert notifying.notify_event(event.pk) == 0
    HandledSource.objects.all().delete()  # as if the mark was lost: still once
    assert notifying.notify_event(event.pk) == 0
    assert len(told(world, "county_handler")) == 1


def test_a_message_for_an_event_not_in_the_database_silences_nothing(world, eager):
    # A stale message (another database's, or a rolled-back action's) names the next id.
    latest = ProblemEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert notifying.notify_event(latest + 1) == 0
    assert not HandledSource.objects.exists()
    problem = world.problem()
    actions.do_assign(
        problem, acting_user=world.users["county_office"], responsible_org=world.orgs["county_dept"]
    )
    assign = ProblemEvent.objects.get(problem=problem, action="assign")
    assert assign.pk > latest
    assert notifying.sweep() >= 1
    assert [n.kind for n in told(world, "county_handler")] == ["assigned"]


def test_the_sweep_makes_what_a_lost_hand_over_left_undone(world):
    problem = world.assigned()  # the hand-over after commit never ran (a dead worker)
    actions.do_urge(problem, acting_user=world.users["county_office"])
    assert told(world, "county_handler") == []
    assert notifying.sweep() == 2
    assert sorted(n.kind for n in told(world, "county_handler")) == ["assigned", "urged"]
    assert notifying.sweep() == 0
    assert len(told(world, "county_handler")) == 2


def test_a_failing_delivery_hook_never_reaches_the_action(world, committing, monkeypatch):
    from ducha.notices import hooks

    def broken(ids):
        raise RuntimeError("channel down")

    seen = []
    monkeypatch.setattr(hooks, "AFTER_NOTIFIED", [broken, seen.extend])
    problem = world.problem()
    with committing():
        actions.do_assign(
            problem,
            acting_user=world.users["county_office"],
            responsible_org=world.orgs["county_dept"],
        )
    [note] = told(world, "county_handler")
    assert seen == [note.pk]


def test_notifications_off_makes_none(world, committing, settings):
    settings.DUCHA_NOTIFICATIONS = False
    with committing():
        world.assigned()
    assert told(world, "county_handler") == []


def test_the_hand_over_is_published_off_the_requests_thread(settings):
    import threading

    from ducha.notices import publisher

    settings.DUCHA_NOTIFY_PUBLISH_IN_BACKGROUND = True
    threads: list[str] = []
    publisher.hand_over(lambda: threads.append(threading.current_thread().name))

    def failing() -> None:
        raise RuntimeError("broker down")

    publisher.hand_over(failing)  # logged; the thread goes on
    publisher.hand_over(lambda: threads.append(threading.current_thread().name))
    assert publisher.drain(10)
    for _ in range(200):  # the last item may be taken and still running
        if len(threads) == 2:
            break
        threading.Event().wait(0.01)
    assert threads == ["ducha-publisher", "ducha-publisher"]


def test_events_committed_together_share_one_message_to_the_worker(settings, monkeypatch):
    import threading

    from ducha.notices import publisher

    settings.DUCHA_NOTIFY_PUBLISH_IN_BACKGROUND = True
    sent: list[list[int]] = []
    monkeypatch.setattr(notifying.notify_events_task, "delay", sent.append)
    for event_id in (101, 102, 103):  # a burst: three actions' commits within the window
        notifying.after_event(event_id)
    assert publisher.drain(10)
    for _ in range(200):  # the batch waits its window on the publishing thread
        if sent:
            break
        threading.Event().wait(0.01)
    threading.Event().wait(notifying.BATCH_WINDOW * 2)
    assert sent == [[101, 102, 103]]
    notifying.after_event(104)  # a later commit starts a batch of its own
    for _ in range(200):
        if len(sent) == 2:
            break
        threading.Event().wait(0.01)
    assert sent == [[101, 102, 103], [104]]


def test_a_batch_makes_each_events_notifications(world, eager):
    first, second = world.assigned(), world.assigned(title="第二个问题")
    ids = list(
        ProblemEvent.objects.filter(problem__in=[first, second], action="assign").values_list(
            "pk", flat=True
        )
    )
    assert notifying.notify_events_task.delay(ids).get() == 2
    assert len(told(world, "county_handler")) == 2


def _event(world, problem, action: str, by: str, **payload):
    """An event of an action written by another part of issue 12 (sign, extensions), as its
    action writes it: through `_record`."""
    return actions._record(problem, None, world.users[by], action, problem.state, **payload)


def test_signing_tells_the_office_member_who_assigned(world, committing):
    problem = world.assigned()
    with committing():
        _event(world, problem, "sign", "county_handler")
    assert [n.kind for n in told(world, "county_office")] == ["signed"]
    assert told(world, "county_leader") == [] and told(world, "county_handler") == []


def test_extensions_go_to_the_office_and_their_decision_to_the_unit(world, committing):
    problem = world.assigned()
    with committing():
        _event(world, problem, "request_extension", "county_handler")
    assert [n.kind for n in told(world, "county_office")] == ["extension_requested"]
    with committing():
        _event(world, problem, "decide_extension", "county_office", decision="approved")
    assert [n.kind for n in told(world, "county_handler")] == ["extension_decided"]
    assert told(world, "city_office") == []


def test_a_rectification_reaches_the_team_that_found_it(world, committing):
    problem = world.assigned(by="county_team_member", team=world.teams["county_team"])
    with committing():
        actions.do_submit_rectification(
            problem, acting_user=world.users["county_handler"], text="已整改"
        )
    assert [n.kind for n in told(world, "county_team_member")] == ["rectification_submitted"]
    assert [n.kind for n in told(world, "county_office")] == ["rectification_submitted"]
