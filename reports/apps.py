from django.apps import AppConfig

from campaign.views.navigation import NavItem


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "报表与卷宗"
    navigation = [
        NavItem("reports", "报表与卷宗", "reports:index", "reports.dossiers", icon="file-earmark-pdf", order=400),
        # Leader dashboard, periodic summaries and 督查通报.
        NavItem("dashboard", "领导驾驶舱", "reports:dashboard", "reports.dashboard", icon="speedometer2", order=500),
        NavItem("reports", "工作简报", "reports:summary_list", "reports.summaries", icon="journal-text", order=410),
        NavItem("reports", "督查通报", "reports:bulletin_list", "reports.bulletins", icon="megaphone", order=420),
    ]
