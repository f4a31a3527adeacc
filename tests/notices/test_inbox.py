"""The inbox through HTTP: the badge, the list, opening and marking read, the API's scope."""

import re

import pytest

from ducha.notices.actions import do_notify
from ducha.notices.models import Notification

pytestmark = pytest.mark.django_db


def notify(world, key: str, n: int = 1, *, source: str = "test") -> list[int]:
    ids = []
    for i in range(n):
        ids += do_notify(
            recipients=[world.users[key]],
            kind="urged",
            title=f"催办 {i}",
            body="请抓紧整改",
            next_step="按期反馈",
            url="/problems/1/",
            actor=world.users["county_office"],
            source_key=f"{source}:{i}",
        )
    return ids


def badge(response) -> str | None:
    found = re.search(r'data-testid="unread-count">([^<]+)<', response.content.decode())
    return found.group(1) if found else None


def test_the_header_shows_the_unread_count(world, login):
    client = login(world, "county_handler")
    assert badge(client.get("/notifications/")) is None
    notify(world, "county_handler", 3)
    assert badge(client.get("/notifications/")) == "3"
    notify(world, "county_handler", 120, source="many")
    assert badge(client.get("/notifications/")) == "99+"


def test_the_badge_is_one_query(world, login):
    notify(world, "county_handler", 2)
    client = login(world, "county_handler")
    client.get("/notifications/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/notifications/")
    counting = [q for q in queries.captured_queries if "notices_notification" in q["sql"]]
    # The badge's count, and the page's own list and its count: no count per item.
    assert len(counting) <= 3


def test_the_list_shows_ones_own_only_and_unread_first_option(world, login):
    notify(world, "county_handler", 2)
    notify(world, "market_handler", 1, source="other")
    Notification.objects.filter(recipient=world.users["county_handler"], title="催办 0").update(
        read_at="2026-01-01T00:00:00Z"
    )
    client = login(world, "county_handler")
    html = client.get("/notifications/").content.decode()
    assert html.count('data-testid="notification"') == 2
    unread = client.get("/notifications/?unread=1").content.decode()
    assert unread.count('data-testid="notification"') == 1 and "催办 1" in unread


def test_opening_marks_read_and_goes_to_the_link(world, login):
    [pk] = notify(world, "county_handler")
    client = login(world, "county_handler")
    response = client.post(f"/notifications/{pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/problems/1/"
    assert Notification.objects.get(pk=pk).read_at is not None


def test_mark_one_and_all_read_need_post(world, login):
    first, second, _third = notify(world, "county_handler", 3)
    client = login(world, "county_handler")
    assert client.get(f"/notifications/{first}/read/").status_code == 405
    response = client.post(f"/notifications/{first}/read/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'data-testid="notification-read"' not in (
        response.content.decode()
    )
    assert client.post(f"/notifications/{second}/read/").status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_anothers_notification_is_404_on_the_pages(world, login):
    [pk] = notify(world, "market_handler")
    client = login(world, "county_handler")
    assert client.post(f"/notifications/{pk}/open/").status_code == 404
    assert client.post(f"/notifications/{pk}/read/").status_code == 404
    assert Notification.objects.get(pk=pk).read_at is None


def test_the_pages_need_a_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_api_lists_counts_and_marks_ones_own(world, api_as):
    ids = notify(world, "county_handler", 3)
    [others] = notify(world, "market_handler", source="other")
    api = api_as("county_handler")
    page = api.get("/notifications").json()
    assert page["count"] == 3 and page["unread"] == 3
    assert {item["id"] for item in page["items"]} == set(ids)
    assert api.get("/notifications/unread-count").json() == {"unread": 3}
    read = api.post(f"/notifications/{ids[0]}/read")
    assert read.status_code == 200 and read.json()["read_at"]
    assert api.get("/notifications", {"unread": "true"}).json()["count"] == 2
    assert api.get("/notifications", {"unread": "false"}).json()["count"] == 1
    assert api.post(f"/notifications/{others}/read").status_code == 404
    assert api.post("/notifications/999999/read").status_code == 404
    assert api.post("/notifications/read-all").json() == {"marked": 2}
    assert api.get("/notifications/unread-count").json() == {"unread": 0}
    assert Notification.objects.get(pk=others).read_at is None


def test_the_api_pages_are_bounded(world, api_as):
    api = api_as("county_handler")
    assert api.get("/notifications", {"page_size": "1000"}).status_code == 422
    assert api.get("/notifications", {"page": "0"}).status_code == 422
