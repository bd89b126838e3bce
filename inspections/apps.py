from django.apps import AppConfig
from django.urls import reverse

from campaign.access import can
from campaign.views.navigation import NavItem


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "督查检查"
    navigation = [
        NavItem("inspections", "检查轮次", "inspections:index", "inspections.view", icon="clipboard-check", order=200),
        NavItem("inspections", "我的检查任务", "inspections:my_visits", "inspections.my_visits", icon="phone", order=201),
        NavItem("inspections", "发现问题", "inspections:finding_list", "inspections.findings_menu",
                icon="exclamation-triangle", order=202),
        NavItem("inspections", "回头看", "inspections:recheck_list", "inspections.manage", icon="arrow-repeat", order=203),
        NavItem("inspections", "检查表", "inspections:checklist_list", "inspections.checklists", icon="list-check", order=204),
    ]

    def todos(self, user) -> list[dict]:
        """Home cards: an inspector's sites still to visit; the office's findings to hand over."""
        from inspections import selectors

        cards = []
        if user.has_role("inspector", "assessor"):
            cards.append({"label": "待完成的点位检查", "count": selectors.pending_planned(user).count(),
                          "url": reverse("inspections:my_visits"), "tone": "primary"})
        if can(user, "inspections.manage"):
            cards.append({"label": "待转交办的问题", "count": selectors.pending_findings(user).count(),
                          "url": reverse("inspections:finding_list") + "?state=pending", "tone": "warning"})
        return cards
