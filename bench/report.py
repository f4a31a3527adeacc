"""Print a results file of `bench.run` as the Markdown table used in docs/performance.md.

.venv/bin/python -m bench.report bench/results/latest.json
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def table(report: dict[str, Any], only: str = "") -> str:
    lines = [
        "| case | persona | app p50 | app p95 | raw p50 | raw p95 | app/raw | paired |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for r in report["results"]:
        if only not in r["case"]:
            continue
        paired = f"{r['ratio_paired']:.2f}" if "ratio_paired" in r else "–"
        lines.append(
            f"| {r['case']} | {r['persona']} | {r['app_p50']:.1f} | {r['app_p95']:.1f} "
            f"| {r['raw_p50']:.1f} | {r['raw_p95']:.1f} | {r['ratio_p50']:.2f} | {paired} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__)
    parser.add_argument("results", type=Path)
    parser.add_argument("--only", default="", help="cases whose name contains this")
    args = parser.parse_args(argv)
    report = json.loads(args.results.read_text())
    facts = report["facts"]
    print(f"{facts['date']}; {facts['rows']['problems']:,} problems; load {facts['load_average']}")
    for key, persona in report["personas"].items():
        print(f"- {key}: {persona['region']} ({persona['problems']:,} problems)")
    print()
    print(table(report, args.only))


if __name__ == "__main__":
    main()
