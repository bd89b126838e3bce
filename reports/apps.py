from django.apps import AppConfig

from campaign.navigation import NavItem


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "报表与卷宗"
    navigation = [
        NavItem("reports", "报表与卷宗", "reports:index", ("office", "leader", "inspector", "assessor"),
                icon="file-earmark-pdf", order=400),
    ]
