"""The meeting agenda (会商议程) and the daily summary (日汇总) as Word files, laid out as
公文 by the documents' writer: the GB/T 9704 page, fonts, masthead and 版记, so that the
office prints them with the meeting's papers or files them as they are.

They are read, not issued: no number, no register entry. Each reader gets the agenda and the
summary their page shows; the download is recorded in the security audit trail.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ducha.accounts.choices import SecurityEventKind as Audit
from ducha.accounts.trail import recorded
from ducha.core.scope import roles_of
from ducha.daily.access import access_office, access_summary, own_offices, readable_offices
from ducha.daily.agenda import Agenda, agenda_for
from ducha.daily.choices import DAILY_ACTION_ROLES, DailyAction
from ducha.daily.models import DailySummary
from ducha.daily.presenting import results_line, resumption_lines, summary_sentence
from ducha.documents.gongwen import write_docx
from ducha.documents.kinds import Composed, Imprint
from ducha.documents.kinds.common import Block, date_label
from ducha.documents.numbering import masthead_of
from ducha.documents.workbook import DOCX_CONTENT_TYPE
from ducha.fieldwork.agenda_ticks import ticked_ids

# Widths (mm of the 156 mm type area): number, problem, place and unit, deadline, discussed.
AGENDA_WIDTHS = [12, 58, 46, 26, 14]


def _composed(office: Any, title: str, blocks: list[Block], day: Any) -> Composed:
    return Composed(
        masthead=masthead_of(office),
        reference="",
        serial="",
        title=title,
        addressee="",
        blocks=blocks,
        signature=office.name,
        date_text=date_label(day),
        issued=False,
        imprint=Imprint(copy_to="", office=office.name, date_text=date_label(day)),
    )


def agenda_composed(agenda: Agenda, ticked: set[int]) -> Composed:
    blocks: list[Block] = []
    for section in agenda.sections:
        blocks.append(Block("heading", section.label, level=1))
        if not section.items:
            blocks.append(Block("paragraph", _("None.")))
            continue
        rows = []
        for number, item in enumerate(section.items, start=1):
            problem = item.problem
            place = problem.region.name + (f" {problem.site.name}" if problem.site else "")
            unit = problem.responsible_org.name if problem.responsible_org else _("No unit yet")
            deadline = timezone.localtime(problem.deadline).strftime("%m-%d %H:%M")
            # A cell holds one paragraph: the note follows the title in brackets.
            title = problem.title
            if item.note:
                title += _(" (%(note)s)") % {"note": " ".join(item.note.split())}
            mark = "☑" if problem.pk in ticked else "☐"
            rows.append([str(number), title, f"{place} · {unit}", deadline, mark])
        blocks.append(
            Block(
                "table",
                header=[
                    _("No."),
                    _("Problem"),
                    _("Place and unit"),
                    _("Deadline"),
                    _("Discussed"),
                ],
                rows=rows,
                widths=AGENDA_WIDTHS,
            )
        )
        if section.total > len(section.items) + section.elsewhere:
            blocks.append(
                Block(
                    "paragraph",
                    _("Showing %(shown)s of %(total)s.")
                    % {"shown": len(section.items), "total": section.total},
                )
            )
    if agenda.results_sentence:
        blocks.append(Block("heading", _("Accountability and commendations"), level=1))
        blocks.append(Block("paragraph", agenda.results_sentence))
    title = _("Meeting agenda of %(day)s") % {"day": date_label(agenda.day)}
    return _composed(agenda.office, title, blocks, agenda.day)


def summary_composed(summary: DailySummary) -> Composed:
    blocks = [Block("paragraph", summary_sentence(summary))]
    if line := results_line(summary):
        blocks.append(Block("paragraph", line))
    blocks += [Block("paragraph", line) for line in resumption_lines(summary)]
    for heading, text in (
        (_("General situation"), summary.overview),
        (_("Notable cases"), summary.cases),
        (_("Items for decision"), summary.decisions),
    ):
        blocks.append(Block("heading", heading, level=1))
        paragraphs = [line.strip() for line in (text or "").splitlines() if line.strip()]
        blocks += [Block("paragraph", line) for line in paragraphs or ["—"]]
    title = _("Daily summary of %(day)s") % {"day": date_label(summary.day)}
    return _composed(summary.office, title, blocks, summary.day)


def _docx(request: HttpRequest, composed: Composed, name: str, what: str) -> HttpResponse:
    data = write_docx(composed, created=timezone.now(), author=str(request.user))
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    cleaned = "".join("_" if char in '\\/:*?"<>|' else char for char in name)[:120]
    response["Content-Disposition"] = content_disposition_header(True, f"{cleaned}.docx")
    return recorded(response, request, Audit.DOWNLOAD, what)


@login_required
def agenda_docx(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not roles_of(user) & DAILY_ACTION_ROLES[DailyAction.VIEW_AGENDA]:
        raise PermissionDenied(_("Your roles may not do this."))
    office_id = request.GET.get("office")
    if office_id:
        office = access_office(user, office_id, DailyAction.VIEW_AGENDA)
    else:
        office = own_offices(user).first() or readable_offices(user).first()
        if office is None:
            raise PermissionDenied(_("Your roles may not do this."))
    agenda = agenda_for(office)
    composed = agenda_composed(agenda, ticked_ids(office, agenda.day))
    return _docx(request, composed, f"{office.name}{composed.title}", "meeting_agenda")


@login_required
def summary_docx(request: HttpRequest, pk: int) -> HttpResponse:
    summary = access_summary(request.user, pk)
    composed = summary_composed(summary)
    return _docx(request, composed, f"{summary.office.name}{composed.title}", "daily_summary")
