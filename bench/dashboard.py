"""Time the dashboards for the whole country, a province, a city and a county.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ducha_bench \\
        .venv/bin/python -m bench.dashboard --repeat 100 --json bench/results/dashboard.json

Cases, per persona (office staff; the country's has a membership at every province office):
- "dashboard figures": every figure, line and name of the dashboard (`build_dashboard`),
  against the same SQL run raw (app/raw); "scope" is what finds the user's regions first;
- "API request" and "page request": the whole request through Django's stack in-process
  (session, user, grants, JSON or the rendered page), against the raw SQL it sent;
- "from the problem table": the totals and per-child counts computed straight from the
  problems, for comparison with what the rollups save.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import setup_django
from bench.run import Case, Persona, capture, explain, measure


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__)
    parser.add_argument("--repeat", type=int, default=100, help="timed runs per case")
    parser.add_argument("--warmup", type=int, default=10, help="untimed runs per case first")
    parser.add_argument("--json", type=Path, help="write results, SQL and plans here")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    parser.add_argument(
        "--no-table", action="store_true", help="leave out the slow problem-table comparison"
    )
    return parser.parse_args(argv)


def _member(username: str, name: str, offices: list[Any]) -> Any:
    from ducha.accounts.choices import Role
    from ducha.accounts.models import Membership, User

    user, _ = User.objects.get_or_create(username=username, defaults={"name": name})
    Membership.objects.filter(user=user).exclude(org__in=offices).delete()
    for office in offices:
        Membership.objects.get_or_create(user=user, org=office, role=Role.OFFICE_STAFF)
    return user


def personas() -> list[Persona]:
    """The country, then the largest province, its largest city and that city's largest county."""
    from django.db.models import Count

    from ducha.orgs.choices import OrgKind
    from ducha.orgs.models import Org
    from ducha.problems.models import Problem

    provinces = Org.objects.filter(kind=OrgKind.REGION, parent__isnull=True)
    offices = list(Org.objects.filter(kind=OrgKind.OFFICE, parent__in=provinces))
    if len(offices) != provinces.count():
        raise SystemExit("every province needs an office: run `python -m bench.generate` first")
    country = _member("bench_country", "全国督查办干部", offices)
    found = [Persona("country", None, country, Problem.objects.count())]
    scope = Problem.objects.order_by()
    for level in ("province", "city", "county"):
        top = scope.values(level).annotate(n=Count("pk")).order_by("-n", level).first()
        if top is None:
            raise SystemExit("no problems: run `python -m bench.generate` first")
        region = Org.objects.get(pk=top[level])
        office = Org.objects.filter(parent=region, kind=OrgKind.OFFICE).order_by("pk").first()
        user = _member(f"bench_dashboard_{level}", f"{region.name}督查办干部", [office or region])
        found.append(Persona(level, region, user, int(top["n"])))
        scope = scope.filter(**{f"{level}_id": region.pk})
    return found


def figures_case(persona: Persona) -> Case:
    """The dashboard's aggregate: every figure, line and name, for a scope already known."""
    from ducha.reports.dashboard import build_dashboard
    from ducha.reports.scope import home_scope

    scope = home_scope(persona.user)
    assert scope is not None

    def figures() -> object:
        return build_dashboard(scope)

    targets = {"country": "< 50 ms p95", "county": "< 20 ms p95"}
    return Case("dashboard figures", persona, figures, targets.get(persona.key, ""))


def scope_case(persona: Persona) -> Case:
    """What a request pays first: the user, their grants and the regions they cover."""
    from ducha.accounts.models import User
    from ducha.reports.scope import home_scope

    def scope() -> object:
        return home_scope(User.objects.get(pk=persona.user.pk))

    return Case("scope (user, grants, regions)", persona, scope)


def request_case(persona: Persona, name: str, path: str) -> Case:
    from django.test import Client

    client = Client()
    client.force_login(persona.user)

    def request() -> object:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return response

    return Case(name, persona, request)


def problem_table_case(persona: Persona) -> Case:
    """Totals and per-child counts straight from the problems (what rollups spare us)."""
    from django.db.models import Count, Q

    from ducha.problems.models import Problem

    closed = Q(state="closed")
    child = {"country": "province", "province": "city", "city": "county", "county": "town"}
    problems = Problem.objects.order_by()
    if persona.region is not None:
        problems = problems.filter(**{f"{persona.key}_id": persona.region.pk})

    def counts() -> object:
        totals = problems.aggregate(found=Count("*"), closed=Count("state", filter=closed))
        by_child = list(
            problems.values(child[persona.key]).annotate(
                found=Count("*"), closed=Count("state", filter=closed)
            )
        )
        return totals, by_child

    return Case("from the problem table (totals + by child)", persona, counts)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    setup_django()

    from django.conf import settings

    from bench.facts import machine_facts

    if settings.DEBUG:
        raise SystemExit("unset DUCHA_DEBUG: debug mode records every query and skews timings")
    facts = machine_facts()
    people = personas()
    cases: list[Case] = []
    for persona in people:
        label = persona.region.name if persona.region is not None else "全国"
        print(f"persona {persona.key}: {label} ({persona.scope:,} problems)")
        cases += [
            figures_case(persona),
            scope_case(persona),
            request_case(persona, "API request", "/api/v1/dashboard"),
            request_case(persona, "page request", "/reports/"),
        ]
    # Last: counting the problem table reads gigabytes and would push the rollups' pages out
    # of the caches that the cases above are measured with.
    if not args.no_table:
        cases += [problem_table_case(persona) for persona in people]
    print(
        f"{'case':<44} {'persona':<9} {'app p50':>8} {'p95':>8} {'raw p50':>8} {'p95':>8} "
        "ratio paired"
    )
    for case in cases:
        capture(case)
        measure(case, args.warmup, args.repeat)
        r = case.result
        print(
            f"{case.name:<44} {case.persona.key:<9} {r['app_p50']:>8.2f} {r['app_p95']:>8.2f} "
            f"{r['raw_p50']:>8.2f} {r['raw_p95']:>8.2f} {r['ratio_p50']:>5} {r['ratio_paired']:>6}"
        )
    plans = {f"{c.persona.key}: {c.name}": explain(c.sql) for c in cases}
    if args.explain:
        for key, case_plans in plans.items():
            print(f"\n== {key}")
            print(*case_plans, sep="\n")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        report = {
            "facts": facts,
            "settings": {"repeat": args.repeat, "warmup": args.warmup},
            "personas": {
                p.key: {
                    "region": p.region.name if p.region is not None else "全国",
                    "region_id": p.region.pk if p.region is not None else None,
                    "problems": p.scope,
                }
                for p in people
            },
            "results": [
                {
                    "case": c.name,
                    "persona": c.persona.key,
                    "target": c.target,
                    **c.result,
                    "sql": c.sql,
                    "plans": plans[f"{c.persona.key}: {c.name}"],
                }
                for c in cases
            ],
        }
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
