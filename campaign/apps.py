from django.apps import AppConfig

from .navigation import NavItem


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = "创文基础"
    navigation = [
        NavItem("home", "工作台", "home", icon="house", order=0),
        NavItem("home", "站内通知", "campaign:inbox", icon="bell", order=1),
        NavItem("reference", "单位通讯录", "campaign:unit_list", icon="diagram-3", order=900),
    ]
