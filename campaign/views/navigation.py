"""The left navigation. Each app declares its entries on its AppConfig (``navigation``), so the
base app never imports a higher app; this module gathers them and keeps those whose capability
(``campaign.access.CAN``) the user holds."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from campaign.access import can

# Groups in the order of UI.md; an app names its group by key.
GROUPS = [
    ("home", "工作台"),
    ("tasks", "整改任务"),
    ("inspections", "督查检查"),
    ("archives", "台账资料"),
    ("reports", "报表与卷宗"),
    ("dashboard", "领导驾驶舱"),
    ("reference", "基础数据"),
]


@dataclass(frozen=True)
class NavItem:
    group: str
    label: str
    url_name: str
    capability: str = "portal.use"
    icon: str = "circle"
    order: int = 100


def all_items() -> list[NavItem]:
    items = []
    for config in apps.get_app_configs():
        items.extend(getattr(config, "navigation", ()))
    return sorted(items, key=lambda i: i.order)


def menu_for(user, current_path: str = "") -> list[dict]:
    """Groups with the entries this user may use; empty groups are left out."""
    if not user.is_authenticated:
        return []
    menu = []
    for key, label in GROUPS:
        entries = []
        for item in all_items():
            if item.group != key or not can(user, item.capability):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            entries.append({"label": item.label, "url": url, "icon": item.icon, "active": False})
        if entries:
            menu.append({"key": key, "label": label, "entries": entries})
    _mark_active(menu, current_path)
    return menu


def _mark_active(menu: list[dict], current_path: str) -> None:
    """Highlight the one entry whose address is the longest prefix of the page's: on
    /reports/dashboard/ that is 领导驾驶舱, not also 报表与卷宗 (/reports/)."""
    entries = [entry for group in menu for entry in group["entries"]]
    matching = [e for e in entries if (current_path == e["url"] if e["url"] == "/" else current_path.startswith(e["url"]))]
    if matching:
        max(matching, key=lambda e: len(e["url"]))["active"] = True
