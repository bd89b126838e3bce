"""The group names most 目标任务分解表 use, so a city's first sheet reads without setting anything
up. The office can change or delete them; nothing here is re-created."""

import re
import unicodedata

from django.db import migrations

GROUPS = [
    ("各区人民政府", "district"),
    ("各区（县、市）", "district"),
    ("各县（市、区）", "district"),
    ("各区政府", "district"),
    ("各区", "district"),
    ("各街道（镇）", "street"),
    ("各街道", "street"),
    ("各镇（街道）", "street"),
    ("各成员单位", "department"),
    ("市直各部门", "department"),
    ("市直各单位", "department"),
]


def _key(text):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def seed(apps, schema_editor):
    UnitGroup = apps.get_model("campaign", "UnitGroup")
    for name, kind in GROUPS:
        UnitGroup.objects.get_or_create(key=_key(name), defaults={"name": name, "kind": kind})


class Migration(migrations.Migration):
    dependencies = [("campaign", "0010_unit_groups_aliases_standing_limits")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
