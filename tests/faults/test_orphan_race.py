"""The orphan_race fault scenario (scripts/faults/orphans.py) as part of the suite."""

import pytest

from .test_faults import run_scenario

pytestmark = [pytest.mark.worker, pytest.mark.faults]


def test_the_orphan_sweeper_never_deletes_a_file_an_upload_just_reused(tmp_path):
    outcome = run_scenario("orphan_race", tmp_path)
    assert any("rows whose file the sweeper deleted: 0" in fact for fact in outcome["facts"])
