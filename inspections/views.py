from django.shortcuts import render

from campaign.access import require_role

from .apps import InspectionsConfig


def index(request):
    """Landing page of the module."""
    require_role(request.user, *InspectionsConfig.navigation[0].roles)
    return render(request, "inspections/index.html")
