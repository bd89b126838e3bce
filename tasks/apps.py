from django.apps import AppConfig

from campaign.views.navigation import NavItem

LIST_ROLES = ("office", "leader", "unit_head", "liaison", "inspector")


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "整改任务"
    navigation = [
        NavItem("tasks", "整改任务", "tasks:index", LIST_ROLES, icon="list-check", order=100),
        NavItem("tasks", "新建交办", "tasks:create", ("office",), icon="plus-square", order=101),
        NavItem("tasks", "批量交办", "tasks:bulk_upload", ("office",), icon="file-earmark-arrow-up", order=102),
        NavItem("tasks", "督办文书", "tasks:chase_list", LIST_ROLES, icon="megaphone", order=103),
    ]

    def todos(self, user) -> list[dict]:
        """工作台 cards for the tasks this user must act on (to sign, fix, verify, approve…)."""
        from tasks.selectors import todo_cards

        if not user.is_authenticated:
            return []
        return todo_cards(user)
