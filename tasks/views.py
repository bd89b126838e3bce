from django.shortcuts import render

from campaign.access import require_role

from .apps import TasksConfig


def index(request):
    """Landing page of the module."""
    require_role(request.user, *TasksConfig.navigation[0].roles)
    return render(request, "tasks/index.html")
