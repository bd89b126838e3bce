"""The orphan_race fault scenario (scripts/faults/orphans.py) as part of the suite."""

import pytest

from .scenario import run_scenario

pytestmark = [pytest.mark.worker, pytest.mark.faults]


def test_the_orphan_sweeper_never_deletes_a_file_an_upload_just_reused(tmp_path):
    run_scenario("orphan_race", tmp_path, "rows whose file the sweeper deleted: 0")
