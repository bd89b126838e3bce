from django.apps import AppConfig

from campaign.navigation import NavItem


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "整改任务"
    navigation = [
        NavItem("tasks", "整改任务", "tasks:index", ("office", "leader", "unit_head", "liaison", "inspector"),
                icon="list-check", order=100),
    ]
