"""A bulletin's 表扬 and 批评 sections say the period's commendations and accountability,
counted from the records; persons are never named, commended units are."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.documents.kinds import compose
from ducha.documents.models import Document
from ducha.documents.readers import reader_view
from ducha.problems.sentences import day_label
from tests.documents.helpers import county, issue, open_docx, paragraphs
from tests.results.records import SECRET_NAMES, accountability, chengdu, commendation

pytestmark = pytest.mark.django_db

CHENGDU = "先后对6名党员干部通报批评，1名责令作出检查，1名作停职处理，2名进行立案审查。"


def _texts(bulletin) -> list[str]:
    return [block["text"] for block in bulletin["body"]["blocks"]]


def _section(bulletin, number: int) -> list[str]:
    """The paragraphs under the bulletin's level-1 heading `number` (0: the first)."""
    blocks = bulletin["body"]["blocks"]
    headings = [n for n, block in enumerate(blocks) if block["level"] == 1] + [len(blocks)]
    return [block["text"] for block in blocks[headings[number] + 1 : headings[number + 1]]]


@pytest.fixture
def records(world):
    county(world)
    today = timezone.localdate()
    chengdu(world, today)
    accountability(world, "dismissal", count=2, decided_on=today, state="withdrawn")
    accountability(world, "interview", state="proposed")
    accountability(
        world, "interview", count=4, region="sibling", unit="sibling_dept", decided_on=today
    )
    commendation(world, "advanced", decided_on=today, unit="county_market_dept")
    commendation(world, "advanced", count=2, decided_on=today, subject="person")
    commendation(world, "praise", decided_on=today, unit="county_dept", region="town")
    commendation(world, "praise", decided_on=today, unit="sibling_dept", region="sibling")
    commendation(world, "model", unit="county_office", state="withdrawn", decided_on=today)
    return world


def test_criticism_counts_the_accountability_and_praise_names_the_units(records, api_as):
    bulletin = issue(api_as("county_office"), "bulletin")
    up_to = f"截至{day_label(timezone.localdate())}，"
    criticism = _section(bulletin, 2)
    assert up_to + CHENGDU in criticism
    praise = _section(bulletin, 1)
    assert up_to + "表彰先进集体1个、先进个人2名，通报表扬1个单位。" in praise
    assert "先进集体：双桥区市场监管局。" in praise
    assert "通报表扬单位：双桥区卫健局。" in praise
    # Units praised for their rectification figures are still praised.
    assert any("双桥区市场监管局" in text and "按时限" in text for text in praise)
    # Nobody is named, in the record, the page's blocks or the Word file.
    text = json.dumps(bulletin, ensure_ascii=False)
    word = "".join(paragraphs(open_docx(api_as("county_office"), bulletin)))
    assert CHENGDU in word
    for name in SECRET_NAMES:
        assert name not in text and name not in word
    assert "双滦区卫健局" not in "".join(praise)


def test_the_period_starts_after_the_previous_bulletin(records, api_as):
    api = api_as("county_office")
    yesterday = timezone.localdate() - timedelta(days=1)
    accountability(records, "interview", count=3, decided_on=yesterday)
    first = issue(api, "bulletin", as_of=yesterday.isoformat())
    assert f"截至{day_label(yesterday)}，先后对3名党员干部进行约谈。" in _section(first, 2)
    second = issue(api, "bulletin")
    today = day_label(timezone.localdate())
    assert f"{today}至{today}，{CHENGDU}" in _section(second, 2)
    # Another region's bulletins have periods of their own.
    town = issue(api, "bulletin", region=records.orgs["town"].pk)
    assert not any("党员干部" in text for text in _section(town, 2))
    assert "通报表扬单位：双桥区卫健局。" in _section(town, 1)


def test_a_reader_below_the_issuer_gets_no_counts_of_the_jurisdiction(records, api_as):
    """Decision 0009: a reader below the issuer sees the rows their jurisdiction reaches. A
    bulletin has no recipient, so no such reader opens one today; the narrowing still holds
    should one be addressed."""
    city = issue(api_as("city_office"), "bulletin")
    assert any("先后对4名党员干部进行约谈，6名通报批评" in text for text in _texts(city))
    document = Document.objects.get(pk=city["id"])
    view = reader_view(records.users["county_office"], document)
    assert not view.whole
    texts = [block.text for block in compose(document, view.data).blocks]
    assert not any("党员干部" in text or "表彰" in text for text in texts)
    assert "先进集体：双桥区市场监管局。" in texts
    assert not any("双滦区卫健局" in text for text in texts)
    assert "results" in Document.objects.get(pk=city["id"]).data  # the record stays whole


def test_a_period_without_results_says_nothing_of_them(world, api_as):
    county(world)
    bulletin = issue(api_as("county_office"), "bulletin")
    assert not any("党员干部" in text or "表彰" in text for text in _texts(bulletin))
