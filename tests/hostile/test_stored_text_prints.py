"""Rows stored before text was checked (or written by other means) still print: a character
that XML cannot carry is left out of the Word and Excel files, and issuing never fails."""

from __future__ import annotations

import io

import openpyxl
import pytest

from ducha.fieldwork.models import Task
from ducha.problems import actions
from ducha.problems.models import Problem
from tests.documents.helpers import issue, open_docx, open_xlsx, paragraphs, table_rows
from tests.fieldwork.domain.factory import plan

pytestmark = pytest.mark.django_db

# Every C0 control but tab, line feed and carriage return, and the two non-characters.
UNPRINTABLE = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\ufffe\uffff"
# PostgreSQL cannot store NUL at all, so no stored row can hold one.
STORED = UNPRINTABLE.replace("\x00", "")


def _assigned_with_stored_title(world, title: str) -> Problem:
    problem = actions.do_assign(
        world.problem(title="placeholder"),
        acting_user=world.users["county_office"],
        responsible_org=world.orgs["county_dept"],
    )
    # Straight to the table, as an old row or another program would have written it.
    Problem.objects.filter(pk=problem.pk).update(
        title=title, description=f"说明{STORED}结束", rule=f"制度{STORED}"
    )
    return problem


def test_a_problem_list_with_control_characters_in_a_title_is_issued(world, api_as):
    _assigned_with_stored_title(world, f"卡口{STORED}登记表缺页")
    api = api_as("county_office")
    document = issue(api, "problem_list", filters={"state": "assigned"})
    rows = table_rows(open_docx(api, document).tables[0])
    assert [row[1] for row in rows[1:]] == ["卡口登记表缺页"]
    sheet = open_xlsx(api, document).active
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == ["卡口登记表缺页"]


def test_a_special_report_on_such_a_problem_is_issued(world, api_as):
    problem = _assigned_with_stored_title(world, f"{STORED}测温枪无备用电池")
    api = api_as("county_office")
    document = issue(api, "special_report", problem=problem.pk)
    text = "\n".join(paragraphs(open_docx(api, document)))
    assert "测温枪无备用电池" in text and "说明结束" in text
    assert not any(char in text for char in STORED)


def test_the_ledger_export_of_such_a_problem_opens(world, api_as):
    _assigned_with_stored_title(world, f"卡口{STORED}登记表缺页")
    response = api_as("county_office").get("/ledger/export")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    # Row 1 is the ledger's title (scope and time), row 2 the column headers.
    titles = [row[1].value for row in book.worksheets[0].iter_rows(min_row=3)]
    assert titles == ["卡口登记表缺页"]


def test_the_day_plan_workbook_of_a_task_with_such_notes_opens(world, login):
    planned = plan(world)
    Task.objects.filter(pk=planned.pk).update(notes=f"带{STORED}备注")
    client = login(world, "county_office")
    response = client.get(f"/field/day/{planned.day.isoformat()}/", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert "带备注" in [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
