"""The demo's 复工复产 ledgers: every figure of the scenes is a count of records, each
enterprise's history obeys the status rules, and each office sees its own enterprises."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from ducha.accounts.models import User
from ducha.core.chain_check import verify
from ducha.demo.resumption import CHENGDU_DAYS_AGO, HEBEI_DAYS_AGO
from ducha.problems.querysets import rate
from ducha.resumption.choices import (
    INDUSTRY,
    STATUS_ACTIONS,
    Category,
    EnterpriseAction,
    EnterpriseKind,
    Status,
)
from ducha.resumption.models import (
    Enterprise,
    EnterpriseLedger,
    ResumptionEvent,
    ResumptionSpell,
)

pytestmark = pytest.mark.django_db

CHENGDU, HEBEI = "510109", "130000"


def scene_day(demo, code: str, days_ago: int) -> date:
    """The scene's day: its last recorded change, which lies that many days before the load
    (a day more when the tests run past the midnight after it)."""
    region = demo.region(code)
    field = "county" if code == CHENGDU else "province"
    day = Enterprise.objects.filter(**{field: region}).aggregate(day=Max("status_on"))["day"]
    today = timezone.localdate()
    assert day in {today - timedelta(days=days_ago), today - timedelta(days=days_ago + 1)}
    return day


def enterprises(demo, code: str, **filters):
    field = "county" if code == CHENGDU else "province"
    return Enterprise.objects.filter(**{field: demo.region(code)}, **filters)


def filed(queryset, day: date) -> int:
    return queryset.filter(filed_on__lte=day).count()


def resumed(queryset, day: date) -> int:
    """Working on `day`: a spell begun by then and not stopped by then."""
    spells = ResumptionSpell.objects.filter(enterprise__in=queryset, resumed_on__lte=day).filter(
        Q(stopped_on__isnull=True) | Q(stopped_on__gt=day)
    )
    return spells.values("enterprise").distinct().count()


def test_chengdu_industry_and_services_are_the_zones_figures(demo):
    day = scene_day(demo, CHENGDU, CHENGDU_DAYS_AGO)
    industry = enterprises(demo, CHENGDU, category__in=INDUSTRY, kind=EnterpriseKind.ENTERPRISE)
    above = industry.filter(category=Category.INDUSTRY_ABOVE_SCALE)
    other = industry.filter(category=Category.INDUSTRY_OTHER)
    services = enterprises(demo, CHENGDU, category=Category.SERVICES)
    assert (industry.count(), filed(industry, day)) == (1234, 737)
    assert (above.count(), filed(above, day)) == (354, 303)
    assert (other.count(), filed(other, day)) == (880, 434)
    assert (services.count(), filed(services, day)) == (37_687, 16_948)
    # Some of the filed have resumed, and some of those stopped again.
    assert 0 < resumed(above, day) < 303
    assert industry.filter(status=Status.STOPPED).exists()
    # Real estate is kept apart from the services it is excluded from.
    assert enterprises(demo, CHENGDU, category=Category.REAL_ESTATE).exists()


def test_chengdu_projects_by_area_and_those_supervised_elsewhere(demo):
    day = scene_day(demo, CHENGDU, CHENGDU_DAYS_AGO)
    projects = enterprises(demo, CHENGDU, kind=EnterpriseKind.PROJECT)
    supervised = projects.filter(supervised=True, category=Category.CONSTRUCTION)
    south_west = supervised.filter(area__in=["南区", "西区"])
    east = supervised.filter(area="东区")
    assert supervised.count() == 490
    assert (south_west.count(), resumed(south_west, day)) == (417, 258)
    assert (east.count(), resumed(east, day)) == (73, 53)
    assert south_west.filter(area="南区").exists() and south_west.filter(area="西区").exists()
    apart = projects.filter(supervised=False)
    assert apart.count() == 15
    assert not apart.filter(excluded_reason="").exists()
    reasons = " ".join(apart.values_list("excluded_reason", flat=True))
    for word in ("机场", "空管", "高速", "轨道交通", "铁路"):
        assert word in reasons
    assert not ResumptionSpell.objects.filter(enterprise__in=apart).exists()


def test_hebei_above_scale_and_key_supplies_as_of_1_march(demo):
    day = scene_day(demo, HEBEI, HEBEI_DAYS_AGO)
    above = enterprises(demo, HEBEI, category=Category.INDUSTRY_ABOVE_SCALE)
    key = enterprises(demo, HEBEI, category=Category.KEY_SUPPLIES)
    assert (above.count(), resumed(above, day)) == (13_182, 12_193)
    assert (key.count(), resumed(key, day)) == (65, 63)
    assert rate(12_193, 13_182) == "92.50"
    assert rate(63, 65) == "96.92"
    # Spread over every city of the scene, some in its counties and towns.
    cities = above.values("city").distinct().count()
    assert cities == demo.region(HEBEI).children.filter(kind="region").count() == 9
    assert above.filter(county__isnull=False).exists()
    # The day before, fewer were working: the rates are dated.
    assert resumed(above, day - timedelta(days=7)) < 12_193
    ppe = key.get(name="唐山卓安防护用品有限公司")
    assert ppe.site.name == ppe.name and ppe.status == Status.RESUMED


def test_nothing_happens_after_the_scenes_day(demo):
    chengdu_day = scene_day(demo, CHENGDU, CHENGDU_DAYS_AGO)
    hebei_day = scene_day(demo, HEBEI, HEBEI_DAYS_AGO)
    for code, day in ((CHENGDU, chengdu_day), (HEBEI, hebei_day)):
        later = ResumptionEvent.objects.filter(enterprise__in=enterprises(demo, code), on__gt=day)
        assert not later.exists()
        assert enterprises(demo, code, filed_on__gt=day).count() == 0


def test_every_history_is_kept_as_the_actions_keep_it(demo):
    everyone = Enterprise.objects.all()
    registers = ResumptionEvent.objects.filter(action=EnterpriseAction.REGISTER)
    assert registers.count() == everyone.count()
    # filed_on is the day of the one filing event.
    files = ResumptionEvent.objects.filter(action=EnterpriseAction.FILE)
    assert files.count() == everyone.filter(filed_on__isnull=False).count()
    assert not files.exclude(on=F("enterprise__filed_on")).exists()
    # The status is the latest status event's, from the day it took effect.
    latest = ResumptionEvent.objects.filter(
        enterprise=OuterRef("pk"), action__in=STATUS_ACTIONS
    ).order_by("-on", "-created_at", "-pk")
    changed = everyone.exclude(status=Status.REGISTERED).annotate(
        last_to=Subquery(latest.values("to_status")[:1]),
        last_on=Subquery(latest.values("on")[:1]),
    )
    assert not changed.exclude(last_to=F("status")).exists()
    assert not changed.exclude(last_on=F("status_on")).exists()
    assert not everyone.filter(status=Status.REGISTERED, status_on__isnull=False).exists()
    # Every status event says from where to where; none lies before the register.
    statuses = ResumptionEvent.objects.filter(action__in=STATUS_ACTIONS)
    assert not statuses.filter(Q(from_status="") | Q(to_status="") | Q(on__isnull=True)).exists()
    assert not statuses.filter(on__lt=F("enterprise__registered_on")).exists()
    # One open spell for each enterprise working now; some worked twice.
    open_spells = ResumptionSpell.objects.filter(stopped_on__isnull=True)
    assert open_spells.count() == everyone.filter(status=Status.RESUMED).count()
    twice = ResumptionSpell.objects.values("enterprise").annotate(n=Count("pk")).filter(n=2)
    assert twice.exists()
    # The version moved on with every action after the register.
    counted = everyone.annotate(n=Count("events"))
    assert not counted.exclude(version=F("n") - 1).exists()


def same(queryset, name: str, other: str) -> bool:
    """Every row's `name` equals its `other` (both empty counts as equal)."""
    equal = Q(**{name: F(other)}) | Q(**{f"{name}__isnull": True, f"{other}__isnull": True})
    return queryset.filter(equal).count() == queryset.count()


def test_levels_and_groupings_are_copied_from_the_region_and_the_enterprise(demo):
    for level in ("province_id", "city_id", "county_id", "town_id", "village_id"):
        assert same(Enterprise.objects.all(), level, f"region__{level}"), level
    assert Enterprise.objects.filter(town__isnull=False).exists()
    for name in ("province_id", "city_id", "county_id", "town_id", "category", "area"):
        assert same(ResumptionSpell.objects.all(), name, f"enterprise__{name}"), name
    assert same(ResumptionSpell.objects.all(), "supervised", "enterprise__supervised")


def test_the_ledger_events_are_sealed_into_their_chains(demo):
    report = verify()
    table = next(t for t in report.tables if t.table == "resumption.ResumptionEvent")
    assert table.rows == ResumptionEvent.objects.count() > 100_000
    assert table.broken == 0, table.breaks[:1]


def test_epidemic_management_ledgers_of_resumed_enterprises(demo):
    entries = EnterpriseLedger.objects.select_related("enterprise")
    assert entries.count() >= 4
    for entry in entries:
        assert entry.enterprise.county == demo.region(CHENGDU)
        assert entry.enterprise.status in {Status.RESUMED, Status.STOPPED}
        assert timezone.localdate(entry.recorded_at) >= entry.enterprise.spells.first().resumed_on
        assert entry.supplies and all(line["days"] > 0 for line in entry.supplies)
        assert entry.staff_screened <= entry.staff_total
    updated = entries.values("enterprise").annotate(n=Count("pk")).filter(n=2)
    assert updated.count() == 1
    recorded = ResumptionEvent.objects.filter(action=EnterpriseAction.RECORD_LEDGER)
    assert recorded.count() == entries.count()


def test_each_office_sees_its_own_enterprises(demo):
    zone, hebei = demo.region(CHENGDU), demo.region(HEBEI)
    office = User.objects.get(username="chengdu.office")
    seen = Enterprise.objects.visible_to(office)
    assert seen.count() == Enterprise.objects.filter(county=zone).count() > 39_000
    assert not seen.filter(province=hebei).exists()
    county = User.objects.get(username="neiqiu.office")
    seen = Enterprise.objects.visible_to(county)
    assert seen.exists()
    assert seen.count() == Enterprise.objects.filter(county__code="130523").count()
    province = User.objects.get(username="hebei.office")
    assert Enterprise.objects.visible_to(province).count() == 13_182 + 65
    # A unit handler sees what its unit supervises.
    handler = User.objects.get(username="chengdu.handler")
    seen = Enterprise.objects.visible_to(handler)
    assert seen.exists()
    assert set(seen.values_list("supervisor__name", flat=True).distinct()) == {"高新区市场监管局"}


def test_a_second_load_adds_no_enterprise(demo):
    before = [
        model.objects.count()
        for model in (Enterprise, ResumptionEvent, ResumptionSpell, EnterpriseLedger)
    ]
    call_command("load_demo", stdout=io.StringIO())
    after = [
        model.objects.count()
        for model in (Enterprise, ResumptionEvent, ResumptionSpell, EnterpriseLedger)
    ]
    assert after == before


def test_the_mask_maker_of_the_ledger_is_the_site_of_its_shortage(demo, signed_in):
    """The scenes' problems at enterprises (the mask maker short of melt-blown fabric) lie at
    the sites the ledger's enterprises are."""
    maker = Enterprise.objects.get(name="唐山卓安防护用品有限公司")
    office = signed_in("hebei.office")
    found = office.get("/api/v1/problems", {"site": maker.site_id, "page_size": 50}).json()
    assert any("熔喷布" in item["title"] for item in found["items"]), found
