"""机构改革 (renaming, moving, merging and splitting units): ``changes`` (rename, move, merge),
``split``, and ``holdings`` (what a unit holds that a change hands on, with each app's own)."""

from campaign.services.reorg.changes import (
    MergePlan,
    NewUnit,
    merge_plan,
    moved_words,
    orgunit_merge,
    orgunit_move,
    orgunit_rename,
)
from campaign.services.reorg.split import SplitGroup, orgunit_split, split_items, split_successors

__all__ = [
    "MergePlan", "NewUnit", "SplitGroup", "merge_plan", "moved_words", "orgunit_merge", "orgunit_move",
    "orgunit_rename", "orgunit_split", "split_items", "split_successors",
]
