from django.apps import AppConfig

from campaign.views.navigation import NavItem


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "整改任务"
    navigation = [
        NavItem("tasks", "整改任务", "tasks:index", "tasks.list", icon="list-check", order=100),
        NavItem("tasks", "新建交办", "tasks:create", "tasks.create", icon="plus-square", order=101),
        NavItem("tasks", "批量交办", "tasks:bulk_upload", "tasks.create", icon="file-earmark-arrow-up", order=102),
        NavItem("tasks", "督办文书", "tasks:chase_list", "tasks.chase", icon="megaphone", order=103),
    ]

    def todos(self, user) -> list[dict]:
        """工作台 cards for the tasks this user must act on (to sign, fix, verify, approve…)."""
        from tasks.selectors import todo_cards

        if not user.is_authenticated:
            return []
        return todo_cards(user)

    def unit_holdings(self) -> list:
        """Unfinished tasks follow their unit in a merge or split (``campaign.services.reorg``)."""
        from tasks.services.reorg import unit_holdings

        return unit_holdings()
