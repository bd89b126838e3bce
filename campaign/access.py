"""The few functions every view uses to reach scoped objects. Views never filter by hand."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from campaign.models import OrgUnit


def require_role(user, *roles: str) -> None:
    """403 unless the user holds one of the roles (superusers pass)."""
    if user.is_superuser or user.has_role(*roles):
        return
    raise PermissionDenied("您没有执行此操作的权限。")


def get_visible(queryset, user, **lookup):
    """The object from ``queryset.visible_to(user)`` or 404: another unit's id looks like no id."""
    return get_object_or_404(queryset.visible_to(user), **lookup)


def unit_for(user, pk) -> OrgUnit:
    return get_visible(OrgUnit.objects.all(), user, pk=pk)
