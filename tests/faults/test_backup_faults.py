"""The backup fault scenarios of scripts/faults/backups.py, as part of the suite (same driver and
throw-away services as tests/faults/test_faults.py)."""

import pytest

from .scenario import run_scenario

pytestmark = [pytest.mark.worker, pytest.mark.faults]


def test_a_backup_taken_while_the_office_works_restores_into_a_fresh_database_checked(tmp_path):
    run_scenario("backup_load", tmp_path, "0 listed but absent, 0 unlisted, 0 with another hash",
                 "restore into a fresh database took")


def test_edited_backups_are_refused_before_the_database_or_the_files_change(tmp_path):
    facts = run_scenario("backup_tamper", tmp_path, "the task handed out after the backup is gone")
    refused = [fact for fact in facts if "refused in" in fact]
    assert len(refused) == 4 and all("0 tables and 0 files changed" in fact for fact in refused)
