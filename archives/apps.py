from django.apps import AppConfig

from campaign.navigation import NavItem


class ArchivesConfig(AppConfig):
    name = "archives"
    verbose_name = "台账资料"
    navigation = [
        NavItem("archives", "台账资料", "archives:index",
                ("office", "leader", "unit_head", "liaison", "archivist", "assessor", "inspector"),
                icon="folder2-open", order=300),
    ]
