from django.apps import AppConfig
from django.urls import reverse

from campaign.access import UNIT_UPLOADERS, can
from campaign.views.navigation import NavItem


class ArchivesConfig(AppConfig):
    name = "archives"
    verbose_name = "台账资料"
    navigation = [
        NavItem("archives", "台账资料", "archives:index", "archives.view", icon="folder2-open", order=300),
        NavItem("archives", "上传资料", "archives:upload", "archives.upload", icon="cloud-arrow-up", order=301),
        NavItem("archives", "资料检索", "archives:list", "archives.view", icon="search", order=302),
        NavItem("archives", "资料审核", "archives:review_queue", "archives.review", icon="clipboard-check", order=303),
        NavItem("archives", "完整性", "archives:completeness", "archives.completeness",
                icon="ui-checks-grid", order=304),
    ]

    def todos(self, user) -> list[dict]:
        """工作台 cards: the office's review queue; a unit's returned items and unsent drafts."""
        from archives.models import EvidenceItem

        cards = []
        if can(user, "archives.review"):
            waiting = EvidenceItem.objects.current().filter(status=EvidenceItem.Status.SUBMITTED).count()
            cards.append({"label": "待审核资料", "count": waiting, "url": reverse("archives:review_queue"),
                          "tone": "warning" if waiting else "success"})
        if user.has_role(*UNIT_UPLOADERS):
            mine = EvidenceItem.objects.editable_by(user).current()
            returned = mine.filter(status=EvidenceItem.Status.RETURNED).count()
            drafts = mine.filter(status=EvidenceItem.Status.DRAFT, uploader=user).count()
            list_url = reverse("archives:list")
            if returned or user.has_role("archivist"):
                cards.append({"label": "被退回的资料", "count": returned, "url": f"{list_url}?status=returned",
                              "tone": "danger" if returned else "success"})
            if drafts:
                cards.append({"label": "未提交的资料草稿", "count": drafts, "url": f"{list_url}?status=draft",
                              "tone": "primary"})
        return cards
