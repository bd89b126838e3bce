from django.shortcuts import render

from campaign.access import require_role

from .apps import ReportsConfig


def index(request):
    """Landing page of the module."""
    require_role(request.user, *ReportsConfig.navigation[0].roles)
    return render(request, "reports/index.html")
