"""The daily cycle in Hui'an: yesterday's team reports submitted and the office's summary
finalised; today's reports and summary drafted.

Runs after the field work (`ducha/demo/fieldwork.py`) on the replay clock, through the real
actions. Yesterday evening the drafting job wrote the drafts at the configured hour; each team
that had been out wrote its report up once its last visit was recorded and sent it; the office
returned one report for a missing detail, got it back, and closed the day's summary. Today's
drafts are written at the moment of the load, as the office's "draft now" (or the job, once the
configured hour has passed) would.

Which teams worked which day follows from the field work, whatever the hour of the load, so
every moment below comes after the visits it reports and before the load.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from ducha.daily import actions
from ducha.daily.figures import team_days
from ducha.daily.jurisdiction import day_bounds, teams_of
from ducha.daily.models import DailyReport
from ducha.demo.cast import Cast
from ducha.demo.clock import ReplayClock
from ducha.fieldwork.models import Inspection
from ducha.orgs.models import Team
from ducha.problems.models import Problem

OFFICE = "huian.office"
# The team whose report the office sends back once, and why.
RETURNED_TEAM = "t.huian.joint5"
RETURN_REASON = "司机核酸证明查验不到位的问题，请写明已向谁指出、后续由哪个单位督促整改。"
RETURN_ANSWER = "已当场向卡口值勤负责人指出查验要求，问题已录入系统，待督查办交办县交通运输局整改。"
# What each team adds to its drafted report (written for the demo).
DIFFICULTIES = {
    "t.huian.joint5": "卡口值勤人员轮换频繁，查验要求交接不到位，建议由主管部门统一培训后再上岗。",
    "t.huian.special1": "隔离点夜间测温仍靠纸质登记，容易漏登，建议配备电子登记表。",
    "t.huian.special2": "高峰时段扫码录入偏慢，建议采样点增派录入人员。",
}
# For a team whose day was following up earlier problems, without a visit of its own.
FOLLOW_UP = "跟进本组前期发现问题的整改进度，与承办单位逐条核对整改时限。"
OVERVIEW = (
    "各督查组按前一日会商会部署开展明查暗访，重点查看高速卡口查验、采样点秩序和"
    "集中隔离点夜间值守。发现的问题已逐条录入系统，其中立行立改一条，其余待交办。"
)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _last_activity(team: Team, day: date) -> datetime | None:
    """When the team's last visit or problem of the day was written down."""
    start, end = day_bounds(day)
    visits = Inspection.objects.filter(team=team, visited_at__gte=start, visited_at__lt=end)
    found = Problem.objects.filter(team=team, found_at__gte=start, found_at__lt=end)
    moments = [
        visits.aggregate(last=Max("created_at"))["last"],
        found.aggregate(last=Max("created_at"))["last"],
    ]
    return max((moment for moment in moments if moment), default=None)


def replay(cast: Cast, clock: ReplayClock, now: datetime) -> None:
    office = cast.orgs[OFFICE]
    today = timezone.localtime(now).date()
    yesterday = today - timedelta(days=1)
    region = office.region
    assert region is not None
    team_ids = list(teams_of(region).values_list("pk", flat=True))

    # Yesterday at the configured hour: the job drafts what the teams had done by then.
    clock.moment = _at(
        yesterday, settings.DUCHA_DAILY_DRAFT_HOUR, settings.DUCHA_DAILY_DRAFT_MINUTE
    )
    actions.draft_day(yesterday, offices=[office])
    last_sent = _yesterdays_reports(cast, clock, yesterday, team_ids)

    clock.moment = last_sent + timedelta(minutes=20)
    staff = cast.users[OFFICE]
    summary, _ = actions.do_draft_summary(office, yesterday, acting_user=staff)
    summary = actions.do_edit_summary(summary, acting_user=staff, overview=OVERVIEW)
    actions.do_finalise_summary(summary, acting_user=staff)

    # Today: drafted now, by the job if its hour has passed, else by the office.
    clock.moment = now
    hour = timezone.localtime(now).time()
    job_ran = hour >= time(settings.DUCHA_DAILY_DRAFT_HOUR, settings.DUCHA_DAILY_DRAFT_MINUTE)
    actions.draft_day(today, acting_user=None if job_ran else staff, offices=[office])
    clock.moment = None


def _yesterdays_reports(cast: Cast, clock: ReplayClock, day: date, team_ids: list[int]) -> datetime:
    """Each team that worked writes its report up and sends it; returns the last moment."""
    worked = [pk for pk, one in team_days(day, team_ids).items() if one.active]
    keys = {team.pk: key for key, team in cast.teams.items()}
    evening = _at(day, 19, 30)
    last = evening
    for number, team in enumerate(Team.objects.filter(pk__in=worked).order_by("name")):
        member = team.leader
        done = _last_activity(team, day)
        moment = max(evening + timedelta(minutes=7 * number), (done or evening))
        clock.moment = moment + timedelta(minutes=15)
        report, _ = actions.do_draft_report(team, day, acting_user=member)
        key = keys.get(team.pk, "")
        report = actions.do_edit_report(
            report,
            acting_user=member,
            work=report.work or FOLLOW_UP,
            difficulties=DIFFICULTIES.get(key, "无。"),
        )
        actions.do_submit_report(report, acting_user=member)
        last = max(last, clock.moment)
        if key == RETURNED_TEAM:
            last = max(last, _returned_once(cast, clock, report))
    return last


def _returned_once(cast: Cast, clock: ReplayClock, report: DailyReport) -> datetime:
    """The office sends the report back for a detail; the team adds it and sends it again."""
    assert clock.moment is not None
    clock.moment += timedelta(minutes=10)
    report = actions.do_return_report(report, acting_user=cast.users[OFFICE], reason=RETURN_REASON)
    clock.moment += timedelta(minutes=12)
    member = report.team.leader
    cases = f"{report.cases}\n{RETURN_ANSWER}".strip()
    report = actions.do_edit_report(report, acting_user=member, cases=cases)
    actions.do_submit_report(report, acting_user=member)
    return clock.moment
