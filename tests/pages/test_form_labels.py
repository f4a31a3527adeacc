"""Every form control the main pages draw has a name a screen reader can say: a label that
points at it or holds it, or aria-label / aria-labelledby. Read from the HTML as served, so it
runs without a browser (tests/browser/test_accessibility.py checks the rest with axe-core)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.utils import timezone

from tests.census.county import add_neighbours, build_county
from tests.fieldwork.domain.factory import plan
from tests.pages.main_pages import main_pages

pytestmark = pytest.mark.django_db

UNNAMED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class Controls(HTMLParser):
    """The form controls of a page and what names them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.label_for: set[str] = set()
        self.ids: set[str] = set()
        self.open_labels = 0
        self.controls: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if tag == "label":
            self.open_labels += 1
            if found.get("for"):
                self.label_for.add(found["for"] or "")
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and (found.get("type") or "text").lower() in UNNAMED_TYPES:
                return
            # A control drawn hidden is not presented: the picker's type-ahead box, which
            # its script shows and names with the field's label (axe checks it in a browser).
            if "hidden" in found:
                return
            self.controls.append({**found, "tag": tag, "in_label": "1" if self.open_labels else ""})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self.open_labels:
            self.open_labels -= 1

    def unnamed(self) -> list[str]:
        missing = []
        for control in self.controls:
            labelledby = (control.get("aria-labelledby") or "").split()
            if (
                control["in_label"]
                or (control.get("id") and control["id"] in self.label_for)
                or (control.get("aria-label") or "").strip()
                or (labelledby and all(part in self.ids for part in labelledby))
            ):
                continue
            missing.append(f"<{control['tag']} name={control.get('name')} id={control.get('id')}>")
        return missing


def unnamed_controls(html: str) -> tuple[int, list[str]]:
    parser = Controls()
    parser.feed(html)
    parser.close()
    return len(parser.controls), parser.unnamed()


def test_the_parser_catches_a_control_without_a_label():
    assert unnamed_controls('<label for="a">A</label><input id="a" name="a">') == (1, [])
    assert unnamed_controls('<label>B <select name="b"></select></label>') == (1, [])
    assert unnamed_controls('<input name="c" aria-label="C">') == (1, [])
    named_elsewhere = '<span id="l">D</span><textarea aria-labelledby="l"></textarea>'
    assert unnamed_controls(named_elsewhere) == (1, [])
    assert unnamed_controls('<input name="e" placeholder="E">') == (1, ["<input name=e id=None>"])
    assert unnamed_controls('<label for="x">X</label><input id="y" name="y">')[1] == [
        "<input name=y id=y>"
    ]
    assert unnamed_controls('<input type="hidden" name="f"><button>G</button>') == (0, [])


@pytest.mark.parametrize(
    "persona", ["county_office", "county_team_member", "county_handler", "county_leader"]
)
def test_every_control_of_the_main_pages_is_labelled(world, login, settings, tmp_path, persona):
    settings.MEDIA_ROOT = tmp_path
    add_neighbours(world)
    county = build_county(world)
    task = plan(world, day=timezone.localdate())
    client = login(world, persona)
    unnamed: dict[str, list[str]] = {}
    seen = 0
    paths = main_pages(county, task.pk)[persona]
    for path in paths:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        count, missing = unnamed_controls(response.content.decode())
        seen += count
        if missing:
            unnamed[path] = missing
    # At least the header's search box on every page: the pages were read, not skipped.
    assert seen > len(paths)
    assert not unnamed, unnamed


def test_pages_say_their_language_and_offer_a_skip_link(world, login):
    client = login(world, "county_office")
    page = client.get("/problems/").content.decode()
    assert '<html lang="zh-hans">' in page
    assert 'href="#main"' in page and '<main class="container-lg py-3" id="main"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/problems/"})
    assert '<html lang="en">' in client.get("/problems/").content.decode()
