"""The fault scenarios of scripts/faults.sh, as part of the suite. Each test runs the driver for one
scenario in a subprocess (tests/faults/scenario.py) and names the facts it must report. About
20–30 s each on two shared cores; what they check is described in scripts/faults/__init__.py."""

import pytest

from .scenario import run_scenario, starts

pytestmark = [pytest.mark.worker, pytest.mark.faults]


# The two that wait out the shipped recovery figures (up to a minute each) first: started last,
# one of them would keep one process busy long after the other is done.
def test_a_dossier_on_a_killed_worker_resumes_within_a_minute_with_the_shipped_figures(tmp_path):
    run_scenario("worker_recovery", tmp_path, starts("MEASURED: the run resumed"))


def test_jobs_lost_with_a_redis_restart_run_within_a_minute_with_the_shipped_figures(tmp_path):
    run_scenario("lost_message", tmp_path, starts("MEASURED: the lost print rendition ran"))


def test_worker_killed_mid_dossier_is_retried_never_stuck_never_two_files(tmp_path):
    run_scenario("worker_kill", tmp_path, "SIGKILL", "files under media/reports")


def test_redis_outage_keeps_pages_working_and_loses_no_job(tmp_path):
    run_scenario("redis_down", tmp_path, "kept in the outbox", "outbox sent the job")


def test_postgres_restart_needs_no_app_restart(tmp_path):
    run_scenario("pg_restart", tmp_path, "after a quiet restart: 40/40")


def test_a_gigabyte_body_is_refused_before_it_is_read(tmp_path):
    run_scenario("huge_body", tmp_path,
                 lambda fact: fact.startswith("anonymous 1 GiB POST") and "HTTP 413" in fact,
                 lambda fact: fact.startswith("logged-in 1 GiB POST") and "HTTP 413" in fact)


def test_a_timed_job_due_while_redis_is_down_runs_once_when_it_is_back(tmp_path):
    run_scenario("beat_redis_down", tmp_path, "kept in the outbox for slot", "ran 1 time")


def test_an_action_committed_just_before_a_database_outage_is_answered_as_saved(tmp_path):
    run_scenario("db_outage_action", tmp_path, "the POST answered 302", "by one run of its job")
