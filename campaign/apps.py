from django.apps import AppConfig

from campaign.views.navigation import NavItem


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = "创文基础"
    navigation = [
        NavItem("home", "工作台", "home", icon="house", order=0),
        NavItem("home", "站内通知", "campaign:inbox", icon="bell", order=1),
        NavItem("reference", "测评体系", "reference:indicators", icon="list-check", order=860),
        NavItem("reference", "点位", "reference:sites", icon="geo-alt", order=870),
        NavItem("reference", "责任分工", "reference:matrix", icon="people", order=880),
        NavItem("reference", "分管关系", "reference:oversight_list", "oversight.list", icon="person-badge",
                order=885),
        NavItem("reference", "包挂包保", "reference:guardianship_list", "oversight.list", icon="pin-map",
                order=886),
        NavItem("reference", "工作日历", "reference:calendar", "calendar.edit", icon="calendar3", order=890),
        NavItem("reference", "单位通讯录", "campaign:unit_list", icon="diagram-3", order=900),
        NavItem("reference", "单位组与别名", "reference:names", "reference.edit", icon="tags", order=905),
        NavItem("reference", "数据导入导出", "imports:index", "imports.use", icon="file-earmark-spreadsheet", order=950),
        NavItem("reference", "系统状态", "campaign:health", "health.view", icon="hdd", order=990),
    ]
