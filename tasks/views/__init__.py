"""Views of the tasks app: list and export, the task page and its actions, creating tasks."""

from .create import due_hint, routing_proposal, site_options, task_create
from .detail import task_act, task_detail, task_photo
from .lists import task_export, task_list

__all__ = [
    "due_hint", "routing_proposal", "site_options", "task_act", "task_create", "task_detail", "task_export",
    "task_list", "task_photo",
]
