"""Demo photos: a few problem photos and after-photos per motif of the problem catalogue, drawn
and stored once by ``demo.archives.photos`` (with their print renditions), then linked to
thousands of tasks as evidence rows that share those files (paths are content-addressed, so a row
per task costs no disk). A task shows the photos of its own problem."""

from __future__ import annotations

from dataclasses import dataclass

from archives.models import EvidenceItem
from demo.archives.photos import stored_photos


@dataclass(frozen=True)
class Master:
    """A stored demo photo whose file is shared by every row that shows it."""

    item_id: int
    file: str
    print_file: str
    thumb_file: str
    sha256: str
    size: int
    width: int
    height: int


def masters(*, uploader_id: int | None, unit_id: int) -> dict[tuple[str, bool, int], Master]:
    """Store (or find, on a rerun) the photos of every motif: {(motif, fixed, variant): Master}."""
    from campaign.models import OrgUnit, User

    unit = OrgUnit.objects.get(pk=unit_id)
    uploader = User.objects.filter(pk=uploader_id).first()
    items = stored_photos(unit=unit, uploader=uploader)
    return {key: Master(item.pk, item.file.name, item.print_file.name, item.thumb_file.name, item.sha256, item.size,
                        item.width or 640, item.height or 480)
            for key, item in items.items()}


def evidence_row(master: Master, *, kind: str, unit_id: int, uploader_id, taken_at, place: str, subject: str,
                 reason: str) -> EvidenceItem:
    """An evidence row pointing at a master's file (no bytes copied)."""
    row = EvidenceItem(
        original_name=f"IMG_{taken_at:%Y%m%d_%H%M%S}.jpg", sha256=master.sha256, size=master.size,
        mime="image/jpeg", kind=EvidenceItem.Kind.PHOTO, width=master.width, height=master.height,
        taken_at=taken_at, place=place[:200], subject=subject[:200], reason=reason[:500], uploaded_at=taken_at,
        uploader_id=uploader_id, unit_id=unit_id, category="照片" if kind == "before" else "整改照片",
        year=taken_at.year, status=EvidenceItem.Status.APPROVED, duplicate_of_id=master.item_id,
    )
    row.file.name, row.print_file.name, row.thumb_file.name = master.file, master.print_file, master.thumb_file
    return row
