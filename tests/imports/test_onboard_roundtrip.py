"""Every export opens as a valid workbook and imports back unchanged: 目标任务分解表, 点位清单,
单位通讯录 and 人员名单, each downloaded from the export page, checked as a file (zip, every XML
part, openpyxl, LibreOffice when installed), uploaded through the import pages and previewed as
“nothing changes” (the 目标任务分解表, which always goes into a new edition, as the same tree)."""

import shutil
import subprocess
import zipfile
from io import BytesIO
from xml.etree import ElementTree

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign.models import Framework, Membership, OrgUnit, Site, User

from ..campaign.test_import_framework import build_tree, snapshot
from ..campaign.test_import_sites import seed_sites, site_snapshot
from .onboard_flow import confirm, download, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def assert_valid_xlsx(data: bytes, tmp_path, name: str) -> None:
    """A file Excel and WPS open: a sound zip whose every XML part parses, no formula cells, no
    overlapping merged ranges; converted by LibreOffice when it is installed."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert archive.testzip() is None
        for part in archive.namelist():
            if part.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(part))
    workbook = openpyxl.load_workbook(BytesIO(data))
    for ws in workbook.worksheets:
        assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
        cells = [set(r.cells) for r in ws.merged_cells.ranges]
        assert sum(len(c) for c in cells) == len(set().union(*cells)) if cells else True
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(data)
        subprocess.run([soffice, "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(path)],
                       check=True, capture_output=True, timeout=120)
        assert (tmp_path / f"{name}.csv").stat().st_size > 0


def test_framework_export_imports_back_as_the_same_tree(client_for, office_clerk, city, leader, tmp_path):
    framework = build_tree(city, leader)
    before = snapshot(framework)
    client = client_for(office_clerk)
    data = download(client, "imports:export_framework", framework.pk)
    assert_valid_xlsx(data, tmp_path, "framework")

    response = client.post(reverse("imports:upload", args=["framework"]), {
        "file": SimpleUploadedFile("f.xlsx", data), "target": "new", "name": "回导版本", "year": 2026})
    preview = client.get(response.url).content.decode()
    assert "检查通过" in preview and "测评标准 <strong>7</strong>" in preview
    confirm(client, response.url.rstrip("/").split("/")[-1])
    again = Framework.objects.get(name="回导版本")
    tree, matrix = snapshot(again)
    assert [row[:-1] for row in tree] == [row[:-1] for row in before[0]]  # paths differ only by edition
    assert matrix == before[1]


def test_site_export_imports_back_with_nothing_to_change(client_for, office_clerk, city, tmp_path):
    seed_sites(city)
    before = site_snapshot()
    client = client_for(office_clerk)
    data = download(client, "imports:export_sites")
    assert_valid_xlsx(data, tmp_path, "sites")

    token, preview = upload(client, "sites", data)
    assert "无变化 <strong>3</strong>" in preview and "新增 <strong>0</strong>" in preview
    assert 'data-testid="nothing-changes"' in preview
    confirm(client, token)
    assert site_snapshot() == before


def unit_snapshot():
    return sorted((u.path, u.name, u.short_name, u.kind, u.parent_id, u.phone, u.address, u.contact_name,
                   u.contact_phone, u.is_active) for u in OrgUnit.objects.all())


def test_unit_export_imports_back_with_nothing_to_change(client_for, office_clerk, city, tmp_path):
    OrgUnit.objects.filter(pk=city.unit_a.pk).update(phone="0710-3225100", address="湖滨路 18 号", contact_name="王芳",
                                                     contact_phone="13800138002")
    # A namesake under another parent: the export writes its parent so that it reads back.
    OrgUnit.objects.create(name="和平社区", kind=OrgUnit.Kind.COMMUNITY, parent=city.unit_b, is_active=False)
    before = unit_snapshot()
    client = client_for(office_clerk)
    data = download(client, "imports:export_units")
    assert_valid_xlsx(data, tmp_path, "units")

    token, preview = upload(client, "units", data)
    assert f"无变化 <strong>{len(before)}</strong>" in preview and 'data-testid="nothing-changes"' in preview
    confirm(client, token)
    assert unit_snapshot() == before


def people_snapshot():
    return sorted((m.user.username, m.user.full_name, m.user.phone, m.user.password, m.unit_id, m.role, m.title)
                  for m in Membership.objects.select_related("user"))


def test_people_export_imports_back_with_nothing_to_change(client_for, office_clerk, liaison_a, leader, city, tmp_path):
    User.objects.filter(pk=liaison_a.pk).update(phone="138 0013 8000")  # as typed long ago: matched all the same
    Membership.objects.filter(user=leader).update(title="副市长")
    Membership.objects.create(user=liaison_a, unit=city.unit_a, role="archivist", title="资料员")
    before = people_snapshot()
    client = client_for(office_clerk)
    data = download(client, "imports:export_people")
    assert_valid_xlsx(data, tmp_path, "people")

    token, preview = upload(client, "people", data)
    assert "检查通过" in preview and 'data-testid="nothing-changes"' in preview
    assert confirm(client, token).url == reverse("imports:index")
    assert people_snapshot() == before and Site.objects.count() == 0
