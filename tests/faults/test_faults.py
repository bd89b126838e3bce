"""The fault scenarios of scripts/faults.sh, as part of the suite. Each test runs the driver for one
scenario in a subprocess: its own PostgreSQL and Redis on free ports in a temporary folder, real
gunicorn and Celery processes, all stopped at the end (so the tests also run under pytest-xdist).
About 20–30 s each on two shared cores; what they check is described in scripts/faults/__init__.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.worker, pytest.mark.faults]


def run_scenario(name: str, tmp_path: Path) -> dict:
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
    return outcome


def test_worker_killed_mid_dossier_is_retried_never_stuck_never_two_files(tmp_path):
    outcome = run_scenario("worker_kill", tmp_path)
    assert any("SIGKILL" in fact for fact in outcome["facts"])
    assert any("files under media/reports" in fact for fact in outcome["facts"])


def test_redis_outage_keeps_pages_working_and_loses_no_job(tmp_path):
    outcome = run_scenario("redis_down", tmp_path)
    assert any("kept in the outbox" in fact for fact in outcome["facts"])
    assert any("outbox sent the job" in fact for fact in outcome["facts"])


def test_postgres_restart_needs_no_app_restart(tmp_path):
    outcome = run_scenario("pg_restart", tmp_path)
    assert any("after a quiet restart: 40/40" in fact for fact in outcome["facts"])


def test_a_gigabyte_body_is_refused_before_it_is_read(tmp_path):
    outcome = run_scenario("huge_body", tmp_path)
    assert any(fact.startswith("anonymous 1 GiB POST") and "HTTP 413" in fact for fact in outcome["facts"])
    assert any(fact.startswith("logged-in 1 GiB POST") and "HTTP 413" in fact for fact in outcome["facts"])


def test_a_timed_job_due_while_redis_is_down_runs_once_when_it_is_back(tmp_path):
    outcome = run_scenario("beat_redis_down", tmp_path)
    assert any("kept in the outbox for slot" in fact for fact in outcome["facts"])
    assert any("ran 1 time" in fact for fact in outcome["facts"])


def test_an_action_committed_just_before_a_database_outage_is_answered_as_saved(tmp_path):
    outcome = run_scenario("db_outage_action", tmp_path)
    assert any("the POST answered 302" in fact for fact in outcome["facts"])
    assert any("by one run of its job" in fact for fact in outcome["facts"])


def test_a_dossier_on_a_killed_worker_resumes_within_a_minute_with_the_shipped_figures(tmp_path):
    outcome = run_scenario("worker_recovery", tmp_path)
    assert any(fact.startswith("MEASURED: the run resumed") for fact in outcome["facts"])


def test_jobs_lost_with_a_redis_restart_run_within_a_minute_with_the_shipped_figures(tmp_path):
    outcome = run_scenario("lost_message", tmp_path)
    assert any(fact.startswith("MEASURED: the lost print rendition ran") for fact in outcome["facts"])
