from django.shortcuts import render

from campaign.access import require_role

from .apps import ArchivesConfig


def index(request):
    """Landing page of the module."""
    require_role(request.user, *ArchivesConfig.navigation[0].roles)
    return render(request, "archives/index.html")
