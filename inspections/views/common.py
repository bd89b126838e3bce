"""Helpers shared by the inspections views: object access and error display."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from campaign.access import get_visible
from inspections.models import InspectionRound, Visit


def round_for(user, pk) -> InspectionRound:
    """A round the user may see, or 404 (an assessor's other rounds look like no round)."""
    return get_visible(InspectionRound.objects.all(), user, pk=pk)


def member_round_for(user, pk) -> InspectionRound:
    """A round the user is assigned to: 404 when not visible, 403 when visible but not assigned."""
    rnd = round_for(user, pk)
    if not rnd.is_member(user):
        raise PermissionDenied("您不是本轮次的检查人员，不能填写检查。")
    return rnd


def visit_for(user, pk) -> Visit:
    return get_visible(Visit.objects.select_related("round", "site", "site__site_type", "site__district",
                                                    "inspector", "checklist"), user, pk=pk)


def refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)

