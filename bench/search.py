"""Full-text search of the problem list at 1,000,000 problems, and what keeping its index costs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ducha_bench_search \\
        .venv/bin/python -m bench.search --repeat 30 --json bench/results/search.json

Needs a database filled by `python -m bench.generate` (which fills `search_text`). Acts as
office staff of the largest province, city and county, as `bench.run` does. Each query runs
three ways:
- app: what a request does, `ProblemFilter(text=q).listing(visible_to(user))` (the stats
  line, and the strings when the words find nothing), then one page of the list;
- raw: the very SQL the app sent, captured once and run through a bare cursor;
- like: the scan the search replaced (title or description ILIKE each word, in the same
  scope), run raw the same way.
Then the index upkeep: create, submit a rectification, institutionalize and verify through
the real `do_*` functions, with the search words kept ("kept") or not ("plain": the words
are empty, so the generated column and the GIN index get nothing), alternating in blocks.
Nothing is asserted: see docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench import setup_django
from bench.run import Case, Persona, capture, explain, measure, percentile, personas, raw_runner

# name → query. Frequencies are those of `bench.synth` + `bench.texts` (see the doc).
QUERIES = {
    "very common": "整改",
    "common": "台账",
    "rare": "冷链",
    "rarest": "口岸",
    "two words": "隔离点 物资",
    "rare + common": "冷链 台账",
    "traditional": "隔離點 台賬",
    "traditional rare": "冷鏈",
    # No stored word matches these: the list then looks for the string inside the words.
    "string in a number": "2345",
    "string, 2 characters": "液透",
    "string, nowhere": "恒和大",
}
ACTIONS = ("create", "submit", "institutionalize", "verify")


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per case")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs per case first")
    parser.add_argument("--like-repeat", type=int, default=10, help="timed runs of a LIKE scan")
    parser.add_argument("--json", type=Path, help="write results, SQL and plans here")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    parser.add_argument("--only", default="", help="only queries whose name contains this")
    parser.add_argument("--cycles", type=int, default=100, help="upkeep cycles per mode (0: none)")
    parser.add_argument("--block", type=int, default=10, help="upkeep cycles before switching")
    parser.add_argument("--no-search", action="store_true", help="time only the upkeep")
    return parser.parse_args(argv)


def request_cases(persona: Persona, name: str, text: str) -> list[Case]:
    """The list request with `q=text` (stats line + one page), and its two halves."""
    from django.conf import settings

    from ducha.problems.filters import ProblemFilter
    from ducha.problems.models import Problem
    from ducha.problems.schemas import item_rows

    problem_filter = ProblemFilter(text=text)

    def scoped(common: bool = False) -> Any:
        return problem_filter.apply(Problem.objects.visible_to(persona.user), common=common)

    def page(common: bool = False) -> object:
        return item_rows(scoped(common)[: settings.DUCHA_PAGE_SIZE])

    def stats() -> object:
        # As the list does: exact up to DUCHA_SEARCH_COUNT_CAP matches, "more than" past it.
        return problem_filter.stats(scoped())

    known: dict[str, bool] = {}

    def common_words() -> bool:
        """Whether the words match more than a search counts (asked once)."""
        if "more" not in known:
            line: Any = stats()
            known["more"] = line["more"]
        return known["more"]

    def request() -> None:
        # As the list does (`listing`): past the cap the page walks the scope newest first;
        # words that find nothing are looked for as strings.
        rows, _line, _query = problem_filter.listing(Problem.objects.visible_to(persona.user))
        item_rows(rows[: settings.DUCHA_PAGE_SIZE])

    target = {"province": "< 50 ms, 2x raw", "county": "< 20 ms, 2x raw"}.get(persona.key, "")
    return [
        Case(f"{name}: request", persona, request, target),
        Case(f"{name}: stats", persona, stats),
        Case(f"{name}: page", persona, lambda: page(common=common_words())),
    ]


def like_sql(persona: Persona, text: str) -> list[str]:
    """The SQL of the same request through the former filter: every word in the title or
    the description, as a substring, case folded (the words normalised, so that it finds
    what the search finds in either script)."""
    from django.conf import settings
    from django.db.models import Q

    from ducha.core.search import parse_query
    from ducha.problems.models import Problem
    from ducha.problems.schemas import ITEM_RELATED

    query = parse_query(text)
    assert query is not None
    scoped = Problem.objects.visible_to(persona.user)
    for word in query.words:
        scoped = scoped.filter(Q(title__icontains=word) | Q(description__icontains=word))

    def request() -> None:
        scoped.rectification_stats()
        list(scoped.select_related(*ITEM_RELATED)[: settings.DUCHA_PAGE_SIZE])

    case = Case("like", persona, request)
    capture(case)
    return case.sql


def time_raw(sql: list[str], warmup: int, repeat: int) -> dict[str, float]:
    run = raw_runner(sql)
    for _ in range(warmup):
        run()
    spent = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        spent.append((time.perf_counter() - start) * 1000)
    return {
        "like_p50": round(statistics.median(spent), 2),
        "like_p95": round(percentile(spent, 0.95), 2),
    }


def hits(persona: Persona, text: str) -> int:
    from ducha.problems.filters import ProblemFilter
    from ducha.problems.models import Problem

    rows, _line, _query = ProblemFilter(text=text).listing(Problem.objects.visible_to(persona.user))
    return rows.count()


def search(args: argparse.Namespace, people: list[Persona]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    header = f"{'case':<34} {'persona':<9} {'hits':>7} {'app p50':>8} {'p95':>7} {'raw p50':>8}"
    print(f"{header} {'p95':>7} {'ratio':>5} {'like p50':>9} {'p95':>7}")
    for persona in people:
        for name, text in QUERIES.items():
            if args.only not in name:
                continue
            found = hits(persona, text)
            like = like_sql(persona, text)
            for case in request_cases(persona, name, text):
                capture(case)
                measure(case, args.warmup, args.repeat)
                result = {
                    "case": case.name,
                    "persona": persona.key,
                    "query": text,
                    "hits": found,
                    "target": case.target,
                    **case.result,
                }
                if case.name.endswith("request"):
                    result |= time_raw(like, 1, args.like_repeat)
                r = result
                print(
                    f"{case.name:<34} {persona.key:<9} {found:>7,} {r['app_p50']:>8.2f} "
                    f"{r['app_p95']:>7.2f} {r['raw_p50']:>8.2f} {r['raw_p95']:>7.2f} "
                    f"{r['ratio_paired']:>5.2f} {r.get('like_p50', 0):>9.1f} "
                    f"{r.get('like_p95', 0):>7.1f}"
                )
                result["sql"] = case.sql
                result["plans"] = explain(case.sql)
                if case.name.endswith("request"):
                    result["like_sql"] = like
                    result["like_plans"] = explain(like)
                if args.explain:
                    for sql, plan in zip(case.sql, result["plans"], strict=False):
                        print(sql, plan, sep="\n")
                rows.append(result)
    return rows


# --- Upkeep ---------------------------------------------------------------------------------

DESCRIPTION = "现场抽查发现相关记录缺失，负责人不能说明情况。台账填写随意，部分信息与实际核对不符。"
REPORT = (
    "收到督办单后，单位立即召开专题会议研究整改措施：一是补齐外来人员登记台账，逐项核对"
    "缺项漏项；二是安排专人每日交叉检查卡口值守和测温登记情况；三是对相关责任人进行约谈。"
)
RULE = "建立每日交叉检查制度和岗位责任清单，纳入月度考核并定期通报执行情况。"
COMMENT = "经现场核实，台账已补齐，值守人员在岗，整改到位。"

Spent = dict[str, list[float]]


def upkeep_cycle(cast: tuple[Any, Any, Any, Any], n: int, spent: Spent) -> None:
    from django.utils import timezone

    from ducha.problems import actions

    user, region, area, unit = cast
    clock = time.perf_counter
    start = clock()
    problem = actions.do_create_problem(
        acting_user=user,
        title=f"外来人员登记台账缺项漏项 {n}",
        description=DESCRIPTION,
        region=region,
        focus_area=area,
    )
    spent["create"].append(clock() - start)
    problem = actions.do_assign(
        problem, acting_user=user, responsible_org=unit, deadline=timezone.now() + timedelta(7)
    )
    start = clock()
    problem = actions.do_submit_rectification(problem, acting_user=user, text=REPORT)
    spent["submit"].append(clock() - start)
    start = clock()
    problem = actions.do_institutionalize(problem, acting_user=user, rule=RULE)
    spent["institutionalize"].append(clock() - start)
    start = clock()
    actions.do_verify(problem, acting_user=user, accept=True, comment=COMMENT)
    spent["verify"].append(clock() - start)


def upkeep(args: argparse.Namespace) -> dict[str, Any]:
    from bench.cycles import demo_cast
    from ducha.problems import actions

    kept = (actions.stored_words, actions.joined)

    def switch(mode: str) -> None:
        if mode == "kept":
            actions.stored_words, actions.joined = kept
        else:
            actions.stored_words = lambda *texts: ""
            actions.joined = lambda existing, *texts: ""

    cast = demo_cast()
    modes = ("plain", "kept")
    spent: dict[str, Spent] = {mode: {action: [] for action in ACTIONS} for mode in modes}
    n = 0
    try:
        for _ in range(5):
            n += 1
            upkeep_cycle(cast, n, {action: [] for action in ACTIONS})
        done = 0
        while done < args.cycles:
            block = min(args.block, args.cycles - done)
            for mode in modes:
                switch(mode)
                for _ in range(block):
                    n += 1
                    upkeep_cycle(cast, n, spent[mode])
            done += block
    finally:
        switch("kept")
    result: dict[str, Any] = {}
    print(f"{'action':<17} {'plain ms':>9} {'kept ms':>9} {'ratio':>6}   (p50; p95 after /)")
    for action in (*ACTIONS, "cycle"):
        if action == "cycle":
            plain_ms = [sum(values) * 1000 for values in zip(*spent["plain"].values(), strict=True)]
            kept_ms = [sum(values) * 1000 for values in zip(*spent["kept"].values(), strict=True)]
        else:
            plain_ms = [s * 1000 for s in spent["plain"][action]]
            kept_ms = [s * 1000 for s in spent["kept"][action]]
        row = {
            "plain_p50": round(statistics.median(plain_ms), 2),
            "plain_p95": round(percentile(plain_ms, 0.95), 2),
            "kept_p50": round(statistics.median(kept_ms), 2),
            "kept_p95": round(percentile(kept_ms, 0.95), 2),
        }
        row["ratio_p50"] = round(row["kept_p50"] / row["plain_p50"], 3)
        result[action] = row
        print(
            f"{action:<17} {row['plain_p50']:>9.2f} {row['kept_p50']:>9.2f} "
            f"{row['ratio_p50']:>6.3f}   / {row['plain_p95']:.2f} {row['kept_p95']:.2f}"
        )
    return result


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    setup_django()

    import os

    from django.conf import settings
    from django.db import connection

    from bench.facts import machine_facts
    from ducha.core.scope import grants_for

    if settings.DEBUG:
        raise SystemExit("unset DUCHA_DEBUG: debug mode records every query and skews timings")
    facts = machine_facts()
    print(f"{connection.vendor}; load average {os.getloadavg()}")
    people = personas()
    for persona in people:
        grants_for(persona.user)
        print(f"persona {persona.key}: {persona.region.name} ({persona.scope:,} problems)")
    report: dict[str, Any] = {"facts": facts, "settings": vars(args) | {"json": str(args.json)}}
    if not args.no_search:
        report["search"] = search(args, people)
    if args.cycles:
        report["upkeep"] = upkeep(args)
    report["load_after"] = os.getloadavg()
    print(f"load average at the end {report['load_after']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
