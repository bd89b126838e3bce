"""Views of the tasks app: list and export, the task page and its actions, creating tasks."""

from tasks.views.create import due_hint, routing_proposal, site_options, task_create
from tasks.views.detail import task_act, task_detail, task_photo
from tasks.views.lists import task_export, task_list

__all__ = [
    "due_hint", "routing_proposal", "site_options", "task_act", "task_create", "task_detail", "task_export",
    "task_list", "task_photo",
]
