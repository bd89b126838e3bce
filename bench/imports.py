"""Spreadsheet imports at city scale, through the real import pages (Django test client, in
process): a 2,000-row 目标任务分解表 (tree + responsibilities, category/item/content merged down
as offices keep them) uploaded and previewed, then confirmed; a 20,000-row 点位清单 the same way.

Each workbook is generated here and imported in a fresh Python process (``python -m
bench.imports <kind> <file>``), so that the peak memory reported is that worker's alone: the peak
resident set size from ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` at the end of the run (all
of Python, Django, openpyxl and the parsed rows; not tracemalloc, which would see Python objects
only). The writes are rolled back afterwards: the benchmark city is left as it was.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from io import BytesIO

FRAMEWORK_ROWS = 2000
SITE_ROWS = 20000
TIMEOUT_S = 600


def run(say=print) -> dict:
    """Generate each workbook here, import it in a worker process of its own."""
    out = {}
    for kind, build in (("framework", framework_workbook), ("sites", sites_workbook)):
        say(f"  导入 {kind} …")
        started = time.perf_counter()
        data = build()
        generated_s = round(time.perf_counter() - started, 2)
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            handle.write(data)
            handle.flush()
            out[kind] = {**_worker(kind, handle.name), "generate_s": generated_s}
        say("  " + json.dumps(out[kind], ensure_ascii=False))
    return out


def _worker(kind: str, path: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.imports", kind, path], capture_output=True, text=True,
                          timeout=TIMEOUT_S, env=os.environ.copy())
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if "Error" in line] or ["?"]
        return {"error": lines[-1][:300]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the workbooks --------------------------------------------------------------------------


def _reference():
    """Units (no communities), the names leaders go by, time limits and site types of the city."""
    from campaign.models import OrgUnit, Role, SiteType, TimeLimit, User

    active = list(OrgUnit.objects.filter(is_active=True).select_related("parent").order_by("path"))
    names: dict[str, int] = {}
    for unit in active:
        for name in {unit.name, unit.short_name} - {""}:
            names[name] = names.get(name, 0) + 1
    units = [(u, _label(u, names)) for u in active if u.kind != OrgUnit.Kind.COMMUNITY]
    people = list(User.objects.filter(is_active=True, memberships__role=Role.LEADER).distinct())
    full_names = [u.full_name for u in people]
    leaders = [u.full_name if u.full_name and full_names.count(u.full_name) == 1 else u.username for u in people[:20]]
    limits = [t.name for t in TimeLimit.objects.exclude(kind=TimeLimit.Kind.DATE)]
    return units, leaders, limits, list(SiteType.objects.all())


def _label(unit, names: dict[str, int]) -> str:
    """A name that resolves to this unit alone (the short name, the name, or 上级/名称)."""
    for name in (unit.short_name, unit.name):
        if name and names.get(name) == 1:
            return name
    return f"{unit.parent.name}/{unit.name}" if unit.parent else unit.name


def framework_workbook(rows: int = FRAMEWORK_ROWS, seed: int = 7) -> bytes:
    """8 categories × 5 items × 5 contents × 10 standards, merged down like an office's sheet,
    each standard with a lead unit, two or three responsible units, an assisting unit, a leader
    and a time limit written in words."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    units, leaders, limits, _types = _reference()
    labels = [label for _unit, label in units]
    workbook = Workbook()
    ws = workbook.active
    ws.title = "目标任务分解表"
    ws.append(["某市创建全国文明城市目标任务分解表（基准）"])
    ws.append(["测评类别", "测评项目", "测评内容", "标准编号", "测评标准", "测评方法", "牵头单位", "责任单位", "配合单位",
               "分管领导", "完成时限"])
    per_content, row = 10, 3
    standards = 0
    for a in range(1, 9):
        for i in range(1, 6):
            for c in range(1, 6):
                first = row
                for s in range(1, per_content + 1):
                    if standards == rows:
                        break
                    code = f"{a}.{i}.{c}.{s}"
                    responsible = "、".join(rng.sample(labels, 3))
                    ws.append([f"{a} 测评类别{a}", f"{a}.{i} 测评项目{a}-{i}", f"{a}.{i}.{c} 测评内容{a}-{i}-{c}", code,
                               f"标准{code}：相关设施完好，管理规范，群众满意度高，无明显问题。", rng.choice(
                                   ["实地考察", "材料审核", "实地考察、问卷调查", "网络调查"]),
                               rng.choice(labels), responsible, rng.choice(labels),
                               rng.choice(leaders) if leaders else None,
                               rng.choice(limits)])
                    standards += 1
                    row += 1
                if row - first > 1:
                    for col in (1, 2, 3):
                        ws.merge_cells(start_row=first, start_column=col, end_row=row - 1, end_column=col)
    return _bytes(workbook)


def sites_workbook(rows: int = SITE_ROWS, seed: int = 11) -> bytes:
    """A whole city's 点位清单: name, type, district, street, address, coordinates, 包保单位."""
    from openpyxl import Workbook

    from campaign.models import OrgUnit

    rng = random.Random(seed)
    units, _leaders, _limits, types = _reference()
    labels = [label for _unit, label in units]
    districts = [u for u, _label in units if u.kind == OrgUnit.Kind.DISTRICT]
    streets = {d.pk: [u for u, _label in units if u.kind == OrgUnit.Kind.STREET and u.parent_id == d.pk]
               for d in districts}
    workbook = Workbook()
    ws = workbook.active
    ws.title = "点位清单"
    ws.append(["点位名称", "类型", "区", "街道", "地址", "经度", "纬度", "包保单位"])
    for n in range(rows):
        district = districts[n % len(districts)]
        street = rng.choice(streets[district.pk]) if streets[district.pk] else None
        kind = types[n % len(types)]
        ws.append([f"基准点位{n:05d}", kind.name, district.name, street.name if street else None, f"测试路{n}号",
                   round(114 + rng.random(), 6), round(30 + rng.random(), 6), rng.choice(labels)])
    return _bytes(workbook)


def _bytes(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the worker -------------------------------------------------------------------------------


def _office_client():
    from django.test import Client

    from campaign.models import Membership, OrgUnit, Role, User

    user, _made = User.objects.get_or_create(username="bench_import_clerk", defaults={"full_name": "基准导入员"})
    office = OrgUnit.objects.filter(kind=OrgUnit.Kind.OFFICE).first() or OrgUnit.objects.order_by("path").first()
    Membership.objects.get_or_create(user=user, unit=office, role=Role.OFFICE)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    return client


def measure(kind: str, path: str) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.urls import reverse

    with open(path, "rb") as handle:
        data = handle.read()
    fields = {"target": "new", "name": "基准导入版本", "year": 2026} if kind == "framework" else {}
    with transaction.atomic():
        client = _office_client()
        clock = _Clock()
        response = client.post(reverse("imports:upload", args=[kind]),
                               {"file": SimpleUploadedFile("基准.xlsx", data), **fields})
        if response.status_code != 302:
            raise RuntimeError(f"上传被拒绝（{response.status_code}）")
        upload = clock.lap()
        page = client.get(response.url).content.decode()
        preview = clock.lap()
        if "检查通过" not in page:
            problems = re.findall(r"<li>([^<]+)</li>", page[page.find('data-testid="import-errors"'):])
            raise RuntimeError("预览有错误：" + "；".join(problems[:3]))
        token = response.url.rstrip("/").split("/")[-1]
        done = client.post(reverse("imports:confirm", args=[token]), follow=True)
        confirm = clock.lap()
        if "导入成功" not in done.content.decode():
            raise RuntimeError("确认导入没有成功")
        transaction.set_rollback(True)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rows": FRAMEWORK_ROWS if kind == "framework" else SITE_ROWS, "file_kb": len(data) // 1024,
            "upload_s": upload[0], "preview_s": preview[0],
            "upload_preview_s": round(upload[0] + preview[0], 2), "confirm_s": confirm[0],
            "total_s": round(upload[0] + preview[0] + confirm[0], 2),
            "upload_preview_cpu_s": round(upload[1] + preview[1], 2), "confirm_cpu_s": confirm[1],
            "preview_html_kb": len(page.encode()) // 1024, "peak_rss_mb": round(peak_kb / 1024, 1),
            "memory": "ru_maxrss（工作进程峰值常驻内存）", "load_after": round(os.getloadavg()[0], 2)}


class _Clock:
    """Wall and CPU seconds of this process since the last lap: on a shared machine the CPU time
    says what the import costs when the wall time is inflated by other work."""

    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        lap = (round(wall - self.wall, 2), round(cpu - self.cpu, 2))
        self.wall, self.cpu = wall, cpu
        return lap


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign.settings")
    import django

    django.setup()
    print(json.dumps(measure(sys.argv[1], sys.argv[2]), ensure_ascii=False))
