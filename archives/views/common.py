"""Access helpers shared by the archives views: every item is reached through these."""

from django.core.exceptions import PermissionDenied

from archives.models import EvidenceItem
from campaign.access import get_visible


def visible_item(user, pk) -> EvidenceItem:
    """The item if the user may see it, else 404 (another unit's id looks like no id)."""
    return get_visible(EvidenceItem.objects.select_related("unit", "uploader", "reviewed_by"), user, pk=pk)


def editable_item(user, pk) -> EvidenceItem:
    """The item if the user may change it: 404 if not visible, 403 if visible but not theirs to edit."""
    item = visible_item(user, pk)
    if not EvidenceItem.objects.editable_by(user).filter(pk=item.pk).exists():
        raise PermissionDenied("只有本单位的资料员、联络员、单位负责人或创文办工作人员可以修改这份资料。")
    return item


def can_edit(user, item) -> bool:
    return EvidenceItem.objects.editable_by(user).filter(pk=item.pk).exists()


MAX_IDS = 200


def ids_from(data, name: str = "ids") -> list[int]:
    """The ids a request names in ``data`` (request.GET or request.POST) under ``name``: as repeated
    fields (checkboxes), as one comma-joined field (the batch pages' hidden input, ``?ids=1,2``),
    or both. Anything that is not a positive number is dropped, repeats once, at most MAX_IDS.
    These are only candidates: every view narrows them to what the user may see or edit."""
    ids: dict[int, None] = {}  # ordered and without repeats
    for entry in data.getlist(name):
        for part in str(entry).split(","):
            part = part.strip()
            if part.isascii() and part.isdigit() and len(part) <= 18 and int(part) > 0:
                ids[int(part)] = None
                if len(ids) == MAX_IDS:
                    return list(ids)
    return list(ids)
