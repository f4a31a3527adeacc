"""The load test's cast and tokens before the run; after it, the acknowledged writes against
the event log, the record's hash chains and the rollups, and the report."""

from __future__ import annotations

import io
import time
from collections import Counter, defaultdict
from contextlib import redirect_stdout
from typing import Any

from bench.load.workload import Cast, Ledger, Result, summary

# The demo's offices (docs/demo.md) and, for each, the unit handlers it assigns to.
OFFICES = (
    "chengdu.office",
    "huian.office",
    "neiqiu.office",
    "luohe.office",
    "tianjin.hebei.office",
)
PROVINCE = "hebei.office"
TOKEN_NAME = "bench.load"


def cast() -> tuple[list[Cast], str, dict[str, list[int]]]:
    """For each office, the first unit it assigned a problem to in the demo, with that
    problem's region and focus area; and the problems each user may read."""
    from ducha.accounts.models import Membership, User
    from ducha.problems.choices import Action
    from ducha.problems.models import Problem, ProblemEvent

    casts = []
    for office in OFFICES:
        assigned = (
            ProblemEvent.objects.filter(action=Action.ASSIGN, actor__username=office)
            .select_related("problem")
            .order_by("pk")
        )
        for event in assigned:
            unit = event.problem.responsible_org_id
            if unit is None:
                continue
            handler = (
                Membership.objects.filter(org_id=unit)
                .exclude(user__username__in=OFFICES)
                .values_list("user__username", flat=True)
                .order_by("user__username")
                .first()
            )
            if handler:
                problem = event.problem
                casts.append(
                    Cast(
                        office,
                        handler,
                        problem.region_id,
                        problem.focus_area_id,
                        unit,
                    )
                )
                break
    if not casts:
        raise SystemExit("no office of the demo assigned a problem: load it (--prepare)")
    seeds = {}
    for username in {c.office for c in casts}:
        user = User.objects.get(username=username)
        seeds[username] = list(Problem.objects.visible_to(user).values_list("pk", flat=True)[:200])
    return casts, PROVINCE, seeds


def issue_tokens(usernames: set[str]) -> dict[str, str]:
    from ducha.accounts.models import ApiToken, User

    tokens = {}
    for user in User.objects.filter(username__in=usernames):
        tokens[user.username] = ApiToken.issue(user, TOKEN_NAME)[1]
    missing = usernames - set(tokens)
    if missing:
        raise SystemExit(f"the demo has no {sorted(missing)}")
    return tokens


def revoke(tokens: dict[str, str]) -> None:
    from ducha.accounts.models import ApiToken

    ApiToken.objects.filter(name=TOKEN_NAME).delete()


def tabulate(results: list[Result], seconds: float, ledger: Ledger) -> dict[str, Any]:
    """Per kind of request and per 10 s of the run; reads and writes apart."""
    by_kind: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_kind[result.kind].append(result)
    windows: dict[int, list[Result]] = defaultdict(list)
    for result in results:
        windows[int(result.due // 10) * 10].append(result)
    statuses = Counter(r.status for r in results if not r.ok)
    return {
        "all": summary(results),
        "reads": summary([r for r in results if not r.write]),
        "writes": summary([r for r in results if r.write]),
        "rate": len(results) / seconds,
        # Requests answered per second from the first due to the last answer: below the
        # offered rate when the servers could not keep up (the queue then grew all along).
        "served": len(results) / max(seconds, max((r.due + r.latency for r in results), default=1)),
        "kinds": {kind: summary(found) for kind, found in sorted(by_kind.items())},
        "windows": {start: summary(found) for start, found in sorted(windows.items())},
        "failed_statuses": dict(statuses),
        "reads_sent_again_on_a_new_connection": ledger.client_retries,
    }


def writes(ledger: Ledger) -> dict[str, Any]:
    """Every acknowledged write must be in the event log: the problem's event of that action
    by that user."""
    from ducha.problems.models import ProblemEvent

    acknowledged = set(ledger.acknowledged)
    problems = {problem for problem, _, _ in acknowledged}
    found = set()
    chunk = sorted(problems)
    for start in range(0, len(chunk), 5000):
        found |= set(
            ProblemEvent.objects.filter(problem_id__in=chunk[start : start + 5000]).values_list(
                "problem_id", "action", "actor__username"
            )
        )
    lost = sorted(acknowledged - found)
    return {
        "acknowledged": len(ledger.acknowledged),
        "acknowledged_by_412_on_retry": ledger.inferred,
        "lost": len(lost),
        "lost_examples": lost[:10],
        "failed": len(ledger.failed_writes),
        "failed_statuses": dict(Counter(status for _, status in ledger.failed_writes)),
    }


def unnotified(since: Any) -> int:
    """Events of this run whose notifications were never made (their hand-over to the worker
    was lost when it was killed, and the sweep has not made them yet)."""
    from ducha.notices.models import HandledSource
    from ducha.problems.models import ProblemEvent
    from ducha.problems.notifying import NOTIFIED_ACTIONS, SOURCE

    handled = HandledSource.objects.filter(source=SOURCE).values("object_id")
    recent = ProblemEvent.objects.filter(created_at__gte=since, action__in=NOTIFIED_ACTIONS)
    return recent.exclude(pk__in=handled).count()


def notifications(since: Any, seconds: float) -> dict[str, Any]:
    """Waits up to `seconds` for the sweep to make every notification of the run (it makes
    at most 500 events' a minute: a run with a large import needs minutes)."""
    started = time.monotonic()
    at_end = missing = unnotified(since)
    while missing and time.monotonic() - started < seconds:
        time.sleep(10)
        missing = unnotified(since)
    return {
        "events_without_notifications_at_the_end": at_end,
        "after_the_sweep": missing,
        "waited_s": round(time.monotonic() - started),
    }


def integrity() -> dict[str, Any]:
    """The record's hash chains and the rollups, after everything was killed once."""
    from django.core.management import call_command
    from django.db import transaction

    from ducha.problems.rollups import rebuild

    out = io.StringIO()
    with redirect_stdout(out):
        try:
            call_command("verify_audit", "--quiet", stdout=out)
            chains = "intact"
        except SystemExit as broken:
            chains = f"broken ({broken.code})"
    with transaction.atomic():
        differences = rebuild.check()
    return {"chains": chains, "chains_report": out.getvalue()[-2000:], "rollups": differences}


def print_report(report: dict[str, Any]) -> None:
    load = report["load"]
    print("\n## Mixed load")
    print(f"offered {report['args']['rate']:.0f}/s, served {load['served']:.1f}/s")
    print("| requests | n | failed | p50 ms | p95 ms | p99 ms |")
    print("|---|--:|--:|--:|--:|--:|")
    rows = [("all", load["all"]), ("reads", load["reads"]), ("writes", load["writes"])]
    rows += list(load["kinds"].items())
    for name, row in rows:
        print(
            f"| {name} | {row['requests']} | {row['failed']} | {row['p50']:.0f} | "
            f"{row['p95']:.0f} | {row['p99']:.0f} |"
        )
    print(
        f"failed by status: {load['failed_statuses']}; reads sent again on a new connection: "
        f"{load['reads_sent_again_on_a_new_connection']}"
    )
    print("\n## Faults (seconds into the run)")
    for at, what in report.get("faults", []):
        print(f"- {at:6.1f} s: {what}")
    print("\n## Per 10 s: n, failed, p95 ms")
    print(
        " ".join(
            f"{start}:{w['requests']}/{w['failed']}/{w['p95']:.0f}"
            for start, w in load["windows"].items()
        )
    )
    print("\n## CPU by part, % of the machine over the run:", report["cpu"])
    print("## Writes", report["writes"])
    print("## Import", report["import"])
    print("## Notifications", report["notifications"])
    print("## Capacity", report["capacity"])
    integrity = report["integrity"]
    print(f"## Integrity: chains {integrity['chains']}, rollups {integrity['rollups']}")
