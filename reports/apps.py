from django.apps import AppConfig

from campaign.views.navigation import NavItem


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "报表与卷宗"
    navigation = [
        NavItem("reports", "报表与卷宗", "reports:index", ("office", "leader", "inspector", "assessor"),
                icon="file-earmark-pdf", order=400),
        # Leader dashboard, periodic summaries and 督查通报.
        NavItem("dashboard", "领导驾驶舱", "reports:dashboard", ("office", "leader"), icon="speedometer2", order=500),
        NavItem("reports", "工作简报", "reports:summary_list", ("office", "leader"), icon="journal-text", order=410),
        NavItem("reports", "督查通报", "reports:bulletin_list", ("office", "leader", "unit_head", "liaison"),
                icon="megaphone", order=420),
    ]
