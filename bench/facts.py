"""What the numbers were measured on: the machine, the database server, the data."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from typing import Any

import django
from django.db import connection

SERVER_SETTINGS = (
    "shared_buffers",
    "work_mem",
    "effective_cache_size",
    "random_page_cost",
    "max_parallel_workers_per_gather",
    "jit",
)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> float | None:
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None
    return round(pages * size / 2**30, 1)


def machine_facts() -> dict[str, Any]:
    from ducha.orgs.models import Org, Site
    from ducha.problems.models import Problem, ProblemEvent

    facts: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": _ram_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": connection.vendor,
        # Other work on the machine skews timings; the load average says how much there was.
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
            facts["server"] = cursor.fetchone()[0]
            settings = {}
            for name in SERVER_SETTINGS:
                cursor.execute(f"SHOW {name}")
                settings[name] = cursor.fetchone()[0]
            facts["server_settings"] = settings
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            facts["database_size"] = cursor.fetchone()[0]
            sizes = {}
            for model in (Problem, ProblemEvent):
                table = model._meta.db_table
                cursor.execute(
                    "SELECT pg_size_pretty(pg_table_size(%s)), pg_size_pretty(pg_indexes_size(%s))",
                    [table, table],
                )
                heap, indexes = cursor.fetchone()
                sizes[table] = {"table": heap, "indexes": indexes}
            facts["table_sizes"] = sizes
        else:
            cursor.execute("SELECT sqlite_version()")
            facts["server"] = f"SQLite {cursor.fetchone()[0]}"
    facts["rows"] = {
        "regions": Org.objects.filter(kind="region").count(),
        "orgs": Org.objects.count(),
        "sites": Site.objects.count(),
        "problems": Problem.objects.count(),
        "events": ProblemEvent.objects.count(),
    }
    return facts
