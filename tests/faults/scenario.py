"""Run one fault scenario of scripts/faults in a subprocess and check what it reports: its own
PostgreSQL and Redis on free ports in a temporary folder, real gunicorn and Celery processes, all
stopped at the end (so the tests also run under pytest-xdist)."""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_scenario(name: str, tmp_path: Path, *expected: str | Callable[[str], bool]) -> list[str]:
    """Run scenario ``name``; it must pass, and for each of ``expected`` (a text one of its facts
    contains, or a test one of its facts meets) some fact must match. Returns all its facts."""
    report = tmp_path / "faults.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAULTS_")}
    # A helper with reserved ports sets FAULTS_TEST_PGPORT / FAULTS_TEST_REDIS_PORT; else free ports.
    for port in ("PGPORT", "REDIS_PORT"):
        if os.environ.get(f"FAULTS_TEST_{port}"):
            env[f"FAULTS_{port}"] = os.environ[f"FAULTS_TEST_{port}"]
    run = subprocess.run([sys.executable, "-m", "scripts.faults", name, "--json", str(report)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    output = (run.stdout + run.stderr)[-8000:]
    assert report.exists(), f"the fault driver ended with {run.returncode} without results:\n{output}"
    (outcome,) = json.loads(report.read_text())
    assert outcome["passed"], "\n".join(outcome["problems"]) + "\n\n" + output
    assert run.returncode == 0, output
    facts = outcome["facts"]
    for wanted in expected:
        matches = wanted if callable(wanted) else lambda fact, text=wanted: text in fact
        assert any(matches(fact) for fact in facts), f"no fact matches {wanted!r}:\n" + "\n".join(facts)
    return facts


def starts(text: str) -> Callable[[str], bool]:
    """A fact that begins with ``text``."""
    return lambda fact: fact.startswith(text)
