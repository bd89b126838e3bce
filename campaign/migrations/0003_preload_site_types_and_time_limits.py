from django.db import migrations

# The field-check site types listed in public assessment manuals (DOMAIN.md).
SITE_TYPES = [
    ("main_road", "主次干道"), ("back_street", "背街小巷"), ("commercial_street", "商业大街"),
    ("market", "集贸市场"), ("square", "公共广场"), ("park", "公园"), ("bus_stop", "公交站点"),
    ("crossing", "主要交通路口"), ("toilet", "室外公厕"), ("construction", "建筑工地"),
    ("community", "社区"), ("estate", "小区"), ("school", "中小学校"), ("hospital", "医院"),
    ("bank", "银行网点"), ("gov_hall", "政务大厅"), ("civility_center", "新时代文明实践中心"),
    ("culture", "公共文化设施"), ("hotel", "宾馆酒店"), ("mall", "商场超市"), ("scenic", "景区"),
    ("urban_fringe", "城乡接合部"), ("township", "乡镇"), ("window", "窗口单位"), ("bus", "公交车"),
    ("taxi", "出租车"),
]

TIME_LIMITS = [
    ("立即", "immediate", 0, 0),
    ("24小时", "hours", 24, 0),
    ("3个工作日", "workdays", 3, 1),
    ("5个工作日", "workdays", 5, 1),
    ("13个工作日", "workdays", 13, 3),
    ("指定日期", "date", 0, 3),
]


def preload(apps, schema_editor):
    SiteType = apps.get_model("campaign", "SiteType")
    TimeLimit = apps.get_model("campaign", "TimeLimit")
    for order, (code, name) in enumerate(SITE_TYPES, start=1):
        SiteType.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    for order, (name, kind, amount, yellow) in enumerate(TIME_LIMITS, start=1):
        TimeLimit.objects.get_or_create(
            name=name, defaults={"kind": kind, "amount": amount, "yellow_workdays": yellow, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("campaign", "0002_reference")]
    operations = [migrations.RunPython(preload, migrations.RunPython.noop)]
