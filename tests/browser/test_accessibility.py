"""WCAG 2.1 A and AA on the main pages, checked by axe-core in real Chromium as each main
persona sees them: the office at a desk, a team member on a phone, a unit's handler and a
leader. A serious or critical violation fails the test, listed with its rule and elements.

axe-core comes from node_modules (an npm development dependency) and is injected into the
page by the test only: the application never serves it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.conftest import PHONE
from tests.census.county import add_neighbours, build_county
from tests.fieldwork.domain.factory import plan
from tests.pages.main_pages import main_pages
from tests.world import PASSWORD, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = {"serious", "critical"}

# Every closed <details> is opened first (filters, action forms): axe skips what is hidden,
# and the forms inside them are the ones users fill in. The user menu stays shut, since
# open it covers the page; its own page is checked with it open.
RUN_AXE = """async ([tags, openMenu]) => {
  for (const details of document.querySelectorAll("details")) {
    details.open = openMenu || !details.classList.contains("user-menu");
  }
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map(node => node.target.join(" ")),
  }));
}"""


def test_the_main_pages_have_no_serious_accessibility_violation(
    live_server, browser, settings, tmp_path
):
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (axe-core is a dev dependency)"
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    add_neighbours(world)
    county = build_county(world)
    task = plan(world, day=timezone.localdate())
    base = live_server.url
    found: list[str] = []
    checked = 0

    for username, paths in main_pages(county, task.pk).items():
        phone = username == "county_team_member"
        context = browser.new_context(
            # The pages' strict CSP refuses the injected script: only the test's context
            # lets it in.
            bypass_csp=True,
            locale="zh-CN",
            **(
                {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True}
                if phone
                else {"viewport": {"width": 1280, "height": 900}}
            ),
        )
        page = context.new_page()
        page.goto(f"{base}/accounts/login/")
        if not checked:
            check_page(page, "/accounts/login/", "anonymous", found, open_menu=False)
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("[data-testid=login-form] button[type=submit]")
        page.wait_for_load_state()
        for number, path in enumerate(paths):
            response = page.goto(base + path)
            assert response is not None and response.status == 200, (username, path)
            page.wait_for_load_state("networkidle")
            check_page(page, path, username, found, open_menu=number == 0)
            checked += 1
        context.close()

    assert checked >= 40
    assert not found, "\n".join(found)


def check_page(page, path: str, who: str, found: list[str], *, open_menu: bool) -> None:
    page.add_script_tag(path=str(AXE))
    for violation in page.evaluate(RUN_AXE, [WCAG_21_AA, open_menu]):
        if violation["impact"] in FAILING:
            found.append(
                f"{who} {path}: {violation['id']} ({violation['impact']}) {violation['help']}: "
                + "; ".join(violation["targets"][:8])
            )
