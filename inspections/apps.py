from django.apps import AppConfig

from campaign.navigation import NavItem


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "督查检查"
    navigation = [
        NavItem("inspections", "督查检查", "inspections:index", ("office", "leader", "inspector", "assessor"),
                icon="clipboard-check", order=200),
    ]
