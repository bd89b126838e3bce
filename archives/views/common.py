"""Access helpers shared by the archives views: every item is reached through these."""

from django.core.exceptions import PermissionDenied

from campaign.access import get_visible
from campaign.navigation import ALL_ROLES
from campaign.params import ids_of

from ..models import UPLOAD_ROLES, EvidenceItem

VIEW_ROLES = ALL_ROLES
EDIT_ROLES = ("office", *UPLOAD_ROLES)
COMPLETENESS_ROLES = ("office", "leader", "unit_head", "archivist", "liaison", "assessor", "inspector")


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


def parse_ids(raw) -> list[int]:
    values = raw if isinstance(raw, list) else str(raw or "").split(",")
    return ids_of(values)
