"""Server-rendered pages of the problem loop: my queue, the list, recording, detail, actions.

Lists start from `Problem.objects.visible_to(user, ...)`; single problems come only through
`access_problem`; state changes only through the `do_*` actions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from ducha.accounts.choices import OFFICE_ROLES, SUPERVISOR_ROLES, Role
from ducha.core.errors import StaleVersion
from ducha.core.forms import run_action
from ducha.core.scope import grants_for, roles_of
from ducha.core.scoping import access
from ducha.orgs.models import Org, Site
from ducha.problems import actions, extensions, hooks, receipt
from ducha.problems.access import access_problem, allowed_actions, offered_actions
from ducha.problems.choices import CLOCKED_STATES, Action, Nature, State
from ducha.problems.filters import ProblemFilter
from ducha.problems.forms import ACTION_FORMS, ActionForm, ProblemCreateForm, ProblemFilterForm
from ducha.problems.instructions import with_open_instruction
from ducha.problems.models import Extension, ExtensionState, Problem, ProblemEvent
from ducha.problems.querysets import ProblemQuerySet
from ducha.problems.similar import similar_problems, site_history, unit_history
from ducha.problems.templatetags.ducha_tags import may_create_problems
from ducha.problems.units import (
    UNIT_WINDOWS,
    found_within,
    longest_unsigned,
    unit_figures,
    unit_window,
)

ROW_RELATIONS = ("region", "responsible_org", "focus_area")


@dataclass
class QueueSection:
    key: str
    title: Any
    hint: Any
    problems: ProblemQuerySet
    # Filters of the problem list that show the same problems, when the list can express them.
    list_filters: dict[str, str] | None = None
    # The most pressing first: the nearest deadline, unless a section says otherwise.
    order: tuple[str, ...] = ("deadline", "pk")

    @cached_property
    def count(self) -> int:
        return self.problems.count()

    @cached_property
    def rows(self) -> list[Problem]:
        ordered = self.problems.select_related(*ROW_RELATIONS).order_by(*self.order)
        # A leader's 批示 still unanswered is marked on its row, not to be missed.
        return list(with_open_instruction(ordered)[: settings.DUCHA_PAGE_SIZE])

    @property
    def list_url_query(self) -> str:
        return urlencode(self.list_filters) if self.list_filters else ""


def _has_instruction() -> Exists:
    return Exists(ProblemEvent.objects.filter(problem=OuterRef("pk"), action=Action.INSTRUCT))


def queue_sections(user: Any) -> list[QueueSection]:
    """What the user must act on now, one section per kind of work their roles bring."""
    roles = roles_of(user)
    visible = Problem.objects.visible_to
    sections: list[QueueSection] = []
    if Role.UNIT_HANDLER in roles:
        sections.append(
            QueueSection(
                "sign",
                gettext_lazy("To sign for"),
                gettext_lazy("Just assigned to your unit: sign for receipt (签收) first."),
                visible(user, Action.SIGN).filter(state=State.ASSIGNED, signed_at__isnull=True),
                order=("assigned_at", "pk"),
            )
        )
        sections.append(
            QueueSection(
                "rectify",
                gettext_lazy("To rectify"),
                gettext_lazy("Assigned to your unit: fix, then report back with evidence."),
                visible(user, Action.SUBMIT_RECTIFICATION).filter(state=State.ASSIGNED),
                {"state": State.ASSIGNED},
            )
        )
    if roles & OFFICE_ROLES:
        sections += [
            QueueSection(
                "assign",
                gettext_lazy("To assign"),
                gettext_lazy("New problems waiting for a responsible unit."),
                visible(user, Action.ASSIGN).filter(state=State.NEW),
                {"state": State.NEW},
            ),
            QueueSection(
                "decide",
                gettext_lazy("Disputes to decide"),
                gettext_lazy("Units have sent these back; uphold or reassign."),
                visible(user, Action.DECIDE_DISPUTE).filter(state=State.DISPUTED),
                {"state": State.DISPUTED},
            ),
            QueueSection(
                "extensions",
                gettext_lazy("Extensions to decide"),
                gettext_lazy("Units ask for a later deadline; approve or refuse with reasons."),
                # Exists, not a join: a problem is one row however many requests it has.
                visible(user, Action.DECIDE_EXTENSION).filter(
                    Exists(
                        Extension.objects.filter(
                            problem=OuterRef("pk"), state=ExtensionState.REQUESTED
                        )
                    )
                ),
            ),
            QueueSection(
                "unsigned",
                gettext_lazy("Not yet signed for"),
                gettext_lazy(
                    "Assigned, but the unit has not signed for receipt; the longest waiting first."
                ),
                visible(user, Action.URGE).filter(state=State.ASSIGNED, signed_at__isnull=True),
                order=("assigned_at", "pk"),
            ),
        ]
    if roles & SUPERVISOR_ROLES:
        sections.append(
            QueueSection(
                "verify",
                gettext_lazy("To verify"),
                gettext_lazy("Units report these fixed; check on site, then accept or reject."),
                visible(user, Action.VERIFY_ACCEPT).filter(state=State.RECTIFIED),
                {"state": State.RECTIFIED},
            )
        )
    if roles & OFFICE_ROLES:
        sections.append(
            QueueSection(
                "overdue",
                gettext_lazy("Overdue (red light)"),
                gettext_lazy("Past their deadline and not closed: urge the unit."),
                visible(user, Action.URGE).overdue(),
                {"overdue": "1"},
            )
        )
    if Role.TEAM_MEMBER in roles:
        team_ids = {g.team_id for g in grants_for(user) if g.role == Role.TEAM_MEMBER}
        sections.append(
            QueueSection(
                "found",
                gettext_lazy("Found by my team, not yet assigned"),
                gettext_lazy("Close on the spot when fixed during the visit, or report up."),
                visible(user, Action.CLOSE_ON_SPOT).filter(state=State.NEW, team_id__in=team_ids),
            )
        )
    if Role.LEADER in roles:
        leader_grants = [g for g in grants_for(user) if g.role == Role.LEADER]
        targets = {g.org_id for g in leader_grants} | {
            g.region_id for g in leader_grants if g.region_id
        }
        needs_word = (
            Q(reported_to_id__in=targets)
            | Q(nature=Nature.COMMON)
            | Q(state__in=CLOCKED_STATES, deadline__lte=timezone.now())
        )
        sections.append(
            QueueSection(
                "instruct",
                gettext_lazy("Awaiting your instruction"),
                gettext_lazy("Reported to you, common or overdue, and not yet instructed."),
                visible(user, Action.INSTRUCT)
                .open()
                .filter(needs_word)
                .exclude(_has_instruction()),
            )
        )
    if escalated := _escalated_section(user, roles):
        sections.append(escalated)
    if Role.COMMAND in roles:
        sections.append(
            QueueSection(
                "rule",
                gettext_lazy("Common problems without a rule"),
                gettext_lazy("Answer with a lasting rule or policy (建章立制)."),
                visible(user, Action.INSTITUTIONALIZE).open().filter(nature=Nature.COMMON, rule=""),
                {"nature": Nature.COMMON},
            )
        )
    return sections


def _escalated_section(user: Any, roles: Any) -> QueueSection | None:
    """升级: problems the ladder escalated to the leader's org or region, or to the office the
    user works in, while that escalation is about their current deadline (it happened after
    the deadline: a new deadline takes the problem off until it is escalated again)."""
    targets: set[int] = set()
    offices: set[int] = set()
    for grant in grants_for(user):
        if grant.role == Role.LEADER:
            targets |= {grant.org_id} | ({grant.region_id} if grant.region_id else set())
        if grant.role in OFFICE_ROLES:
            offices.add(grant.org_id)
    if not targets and not offices:
        return None
    escalated = (
        Problem.objects.visible_to(user)
        .filter(state=State.ASSIGNED, escalated_at__gt=F("deadline"))
        .filter(Q(escalated_to_id__in=targets) | Q(escalated_office_id__in=targets | offices))
    )
    section = QueueSection(
        "escalated",
        pgettext_lazy("queue", "Escalated"),
        gettext_lazy("Long past their deadline; the ladder has escalated them to you."),
        escalated,
    )
    # Escalation is the exception: the section shows only while it holds a problem.
    return section if section.count else None


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    sections = queue_sections(request.user)
    return render(
        request, "problems/queue.html", {"sections": sections, "total": distinct_total(sections)}
    )


def distinct_total(sections: list[QueueSection]) -> int:
    """How many problems wait, each once: an assigned problem not yet signed for is both to
    sign and to rectify, an overdue one may also be unsigned or disputed."""
    if not sections:
        return 0
    waiting = Q()
    for section in sections:
        waiting |= Q(pk__in=section.problems.order_by().values("pk"))
    return Problem.objects.filter(waiting).count()


# Who reads the units' figures: those who press units (the office) and direct them (leaders).
UNIT_FIGURE_ROLES = OFFICE_ROLES | {Role.LEADER}


@login_required
def units(request: HttpRequest) -> HttpResponse:
    """签收 and 延期 per responsible unit, over the problems the reader may see."""
    if not roles_of(request.user) & UNIT_FIGURE_ROLES:
        raise PermissionDenied(_("Your roles may not read the units' figures."))
    problems = Problem.objects.visible_to(request.user)
    days = unit_window(request.GET.get("days"))
    context = {
        "units": unit_figures(found_within(problems, days)),
        "days": days,
        "windows": UNIT_WINDOWS,
        # Every problem still waiting, however old: the wait is what matters here.
        "unsigned": longest_unsigned(problems, settings.DUCHA_PAGE_SIZE),
        "clock_starts": settings.DUCHA_CLOCK_STARTS,
    }
    return render(request, "problems/units.html", context)


class StatsPaginator(Paginator):
    """Takes its count from the stats line, which has already counted the same rows."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


@login_required
def problem_list(request: HttpRequest) -> HttpResponse:
    form = ProblemFilterForm(request.GET or None, user=request.user)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "problems/list.html", context, status=400)
    problem_filter = form.problem_filter() if form.is_bound else ProblemFilter()
    problems, stats, context["query"] = problem_filter.listing(request.user)
    rows = problems.select_related(*ROW_RELATIONS).order_by("-found_at", "-pk")
    paginator = StatsPaginator(rows, settings.DUCHA_PAGE_SIZE, stats["found"])
    context |= {
        "stats": stats,
        "page": paginator.get_page(request.GET.get("page")),
        "filters_open": form.active_count > 0,
    }
    return render(request, "problems/list.html", context)


@login_required
def problem_create(request: HttpRequest) -> HttpResponse:
    if not may_create_problems(request.user):
        raise PermissionDenied(_("Your roles may not record problems."))
    form = ProblemCreateForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            outcome = run_action(
                request,
                form,
                actions.do_create_problem,
                acting_user=request.user,
                **form.cleaned_data,
            )
            if outcome.ok:
                messages.success(request, _("The problem was recorded."))
                return redirect("problems:detail", pk=outcome.result.pk)
            status = outcome.status
    return render(request, "problems/create.html", {"form": form}, status=status)


@login_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = access(Problem, request.user, pk)
    return _render_detail(request, found.obj, roles=found.roles)


ACTION_FUNCTIONS: dict[str, Callable[..., Problem]] = {
    Action.ASSIGN: actions.do_assign,
    Action.REPORT_UP: actions.do_report_up,
    Action.INSTRUCT: actions.do_instruct,
    Action.URGE: actions.do_urge,
    Action.SUBMIT_RECTIFICATION: actions.do_submit_rectification,
    Action.VERIFY_ACCEPT: actions.do_verify,
    Action.VERIFY_REJECT: actions.do_verify,
    Action.INSTITUTIONALIZE: actions.do_institutionalize,
    Action.CLOSE_ON_SPOT: actions.do_close_on_spot,
    Action.DISPUTE: actions.do_dispute,
    Action.DECIDE_DISPUTE: actions.do_decide_dispute,
    Action.REOPEN: actions.do_reopen,
    Action.SIGN: receipt.do_sign,
    Action.REQUEST_EXTENSION: extensions.do_request_extension,
    Action.DECIDE_EXTENSION: extensions.do_decide_extension,
}


@login_required
@require_POST
def problem_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    found = access(Problem, request.user, pk, action)
    problem = found.obj
    if action not in allowed_actions(request.user, problem, found.roles):
        # The role may act (access checked that), so it is the state that refuses;
        # when the form was drawn on an older version, that change is the reason to give.
        if request.POST.get("version", str(problem.version)) != str(problem.version):
            messages.error(request, _stale_message())
            return _render_detail(request, problem, status=412)
        messages.error(
            request,
            _("“%(action)s” is not possible while the problem is “%(state)s”.")
            % {"action": Action(action).label, "state": State(problem.state).label},
        )
        return _render_detail(request, problem, status=409)
    form = form_class(request.POST, request.FILES, user=request.user, problem=problem)
    if not form.is_valid():
        return _render_detail(request, problem, bound=form, status=422)
    outcome = run_action(
        request,
        form,
        ACTION_FUNCTIONS[action],
        problem,
        acting_user=request.user,
        say={StaleVersion: _stale_message()},
        **form.arguments(),
    )
    if outcome.ok:
        messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
        return redirect("problems:detail", pk=problem.pk)
    if isinstance(outcome.refusal, StaleVersion):
        fresh = access_problem(request.user, pk)
        redrawn = _redrawn(request, form, fresh)
        return _render_detail(request, fresh, bound=redrawn, status=outcome.status)
    if outcome.refused_state:
        return _render_detail(request, access_problem(request.user, pk), status=outcome.status)
    return _render_detail(request, problem, bound=form, status=outcome.status)


def _stale_message() -> str:
    return _(
        "The problem changed since you opened it, so nothing was done. It is shown again below "
        "as it is now: check it, then submit again if your action still applies."
    )


def _redrawn(request: HttpRequest, form: ActionForm, problem: Problem) -> ActionForm:
    """The user's input again, now against the problem's current version (photos are lost)."""
    data = request.POST.copy()
    data["version"] = str(problem.version)
    return type(form)(data, user=form.user, problem=problem)


def _render_detail(
    request: HttpRequest,
    problem: Problem,
    bound: ActionForm | None = None,
    status: int = 200,
    roles: frozenset[str] | None = None,
) -> HttpResponse:
    action_forms = [
        bound
        if bound is not None and bound.action == action
        else ACTION_FORMS[action](user=request.user, problem=problem)
        for action in offered_actions(request.user, problem, roles)
        if action in ACTION_FORMS
    ]
    context = {
        "problem": problem,
        "events": problem.events.select_related("actor"),
        "action_forms": action_forms,
        "extensions": problem.extensions.select_related("requested_by", "decided_by"),
        "similar": similar_problems(request.user, problem),
        "panels": hooks.problem_panels(request, problem),
    }
    return render(request, "problems/detail.html", context, status=status)


def _history(request: HttpRequest, heading: str, rows: Any, **context: Any) -> HttpResponse:
    page = Paginator(rows, settings.DUCHA_PAGE_SIZE).get_page(request.GET.get("page"))
    stats = rows.rectification_stats()
    return render(
        request,
        "problems/history.html",
        {"heading": heading, "page": page, "stats": stats, **context},
    )


@login_required
def site_problems(request: HttpRequest, pk: int) -> HttpResponse:
    """A site's history: every problem found there that the reader may see."""
    site = access(Site, request.user, pk).obj
    rows = site_history(request.user, site.pk)
    return _history(request, _("History of %(site)s") % {"site": site.name}, rows, site=site)


@login_required
def unit_problems(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's history: every problem it was responsible for that the reader may see."""
    unit = access(Org, request.user, pk).obj
    rows = unit_history(request.user, unit.pk)
    return _history(request, _("History of %(unit)s") % {"unit": unit.name}, rows, unit=unit)
