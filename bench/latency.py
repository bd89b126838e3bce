"""Server time and SQL queries per request, in-process (Django test client), per persona.

Each URL is requested ``warmup`` times first (templates compiled, connections open, caches
filled as a user's second visit would find them), then ``requests`` times, each one timed with
``perf_counter`` around the whole request (middleware, session, view, template) and its SQL
statements counted with ``CaptureQueriesContext``. No network: this is the time the server spends.
"""

from __future__ import annotations

import logging
import re
import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from campaign.models import OrgUnit, User

# Demo accounts: 市创文办, 分管领导 (分管 by Oversight, 东湖区 among his units), 湖滨街道联络员, and
# 东湖区's own 区创文办 (its scope: the district's subtree, hundreds of units in the deep tree).
PERSONAS = ("office", "leader", "liaison", "qcwb01")
UNIT_FILTER = "湖滨街道"  # inside every persona's scope
SEARCH_TEXT = "占道经营"


@dataclass
class Timing:
    status: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    max_ms: float
    queries: list[int]
    cpu_p50_ms: float = 0.0  # this process's CPU per request (Python: ORM, templates; not PostgreSQL)

    def as_dict(self) -> dict:
        low, high = min(self.queries), max(self.queries)
        return {"status": self.status, "p50_ms": round(self.p50_ms, 1), "p95_ms": round(self.p95_ms, 1),
                "mean_ms": round(self.mean_ms, 1), "max_ms": round(self.max_ms, 1), "cpu_p50_ms": round(self.cpu_p50_ms, 1),
                "queries": low if low == high else f"{low}-{high}", "queries_constant": low == high,
                "requests": len(self.queries)}


def client_for(username: str) -> Client:
    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(username=username))
    return client


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def measure(client: Client, url: str, *, requests: int = 50, warmup: int = 5) -> Timing:
    response = None
    for _ in range(warmup):
        response = client.get(url)
    times, cpu, queries = [], [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        queries.append(len(captured.captured_queries))
    return Timing(response.status_code, statistics.median(times), percentile(times, 0.95),
                  statistics.fmean(times), max(times), queries, statistics.median(cpu))


def list_views() -> dict[str, str]:
    unit = OrgUnit.objects.filter(name=UNIT_FILTER).values_list("pk", flat=True).first()
    views = {
        "tasks.default": "/tasks/",
        "tasks.state_light": "/tasks/?state=in_progress&light=red",
        "tasks.unit": f"/tasks/?unit={unit}" if unit else "/tasks/?unit=0",
        "tasks.search": f"/tasks/?q={SEARCH_TEXT}",
    }
    return views


def run(*, requests: int = 50, warmup: int = 5, say=print) -> dict:
    """{view: {persona: figures}} for the four task-list views and the leader dashboard."""
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the liaison's expected 403 is not news
    views = {**list_views(), "dashboard": "/reports/dashboard/"}
    results: dict[str, dict] = {name: {} for name in views}
    for persona in PERSONAS:
        client = client_for(persona)
        for name, url in views.items():
            figures = measure(client, url, requests=requests, warmup=warmup).as_dict()
            results[name][persona] = figures
            say(f"  {name:18} {persona:8} p50 {figures['p50_ms']:6.1f} ms  p95 {figures['p95_ms']:6.1f} ms  "
                f"CPU {figures['cpu_p50_ms']:5.1f} ms  {figures['queries']} 条 SQL  (HTTP {figures['status']})")
    results["query_constancy"] = query_constancy(requests=max(5, requests // 10))
    return results


def query_constancy(*, requests: int = 5) -> dict:
    """The list's query count on page 1 and page 2, with 20, 50 and 100 rows a page, for the
    office (one query path), a liaison and a district office (the scoped, branch-by-branch path):
    constant if, for each of them, all are equal."""
    counts, constant = {}, True
    for persona in ("office", "liaison", "qcwb01"):
        client = client_for(persona)
        first = client.get("/tasks/?size=100").content.decode()
        cursor = re.search(r"after=([\w-]+)", first)
        urls = {"size20": "/tasks/?size=20", "size50": "/tasks/", "size100": "/tasks/?size=100"}
        if cursor:
            urls["page2_size100"] = f"/tasks/?size=100&after={cursor.group(1)}"
        mine = {f"{persona}.{name}": measure(client, url, requests=requests, warmup=1).as_dict()["queries"]
                for name, url in urls.items()}
        constant = constant and len({str(c) for c in mine.values()}) == 1
        counts |= mine
    return {"counts": counts, "constant": constant}
