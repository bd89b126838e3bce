"""The import pages: office only, two steps (upload → preview → confirm), bad files get a clear
Chinese message, nothing is written until a file without errors is confirmed."""

import zipfile
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign.models import Event, Framework, Indicator, Responsibility
from campaign.services.spreadsheets import MAX_BYTES, framework_template, sites_template, to_bytes
from campaign.services.spreadsheets.framework_sheet import COLUMNS as FRAMEWORK_COLUMNS
from campaign.services.spreadsheets.reading import read_table

from .test_import_framework import build_tree, empty_database, exported, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pending_files(media):
    folder = media / "imports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def upload(client, data, kind="framework", name="分解表.xlsx", **fields):
    payload = {"file": SimpleUploadedFile(name, data), "target": "new", "name": "2026年版", "year": 2026, **fields}
    return client.post(reverse("imports:upload", args=[kind]), payload)


@pytest.fixture
def tree_file(city, leader):
    framework = build_tree(city, leader)
    data, before = exported(framework), snapshot(framework)
    empty_database(framework)
    return data, before


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(reverse("imports:index"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("url", [
    reverse("imports:index"), reverse("imports:template", args=["framework"]), reverse("imports:export_sites"),
    reverse("imports:export_framework", args=[1]),
])
def test_other_roles_are_refused(client_for, liaison_a, leader, url):
    for user in (liaison_a, leader):
        assert client_for(user).get(url).status_code == 403


def test_liaison_cannot_upload(client_for, liaison_a, tree_file, private_media):
    response = upload(client_for(liaison_a), tree_file[0])
    assert response.status_code == 403 and pending_files(private_media) == []


def test_office_sees_both_imports_and_the_exports(client_for, office_clerk):
    Framework.objects.create(name="2021年版", year=2021)
    page = client_for(office_clerk).get(reverse("imports:index")).content.decode()
    assert "目标任务分解表" in page and "点位清单" in page and "2021年版（2021）" in page
    assert "数据导入导出" in page  # the navigation entry


def test_templates_have_the_headers_an_example_and_notes(client_for, office_clerk):
    client = client_for(office_clerk)
    for kind, expected in (("framework", "测评类别"), ("sites", "点位名称")):
        response = client.get(reverse("imports:template", args=[kind]))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        workbook = openpyxl.load_workbook(BytesIO(response.content))
        assert workbook.sheetnames[1] == "填写说明"
        assert workbook.active.cell(2, 1).value == expected and workbook.active.cell(3, 1).value
    table = read_table(openpyxl.load_workbook(BytesIO(to_bytes(framework_template()))), FRAMEWORK_COLUMNS, "表")
    assert set(table.columns) == {c.field for c in FRAMEWORK_COLUMNS} and len(table.rows) == 2
    assert "3个工作日" in str(list(openpyxl.load_workbook(BytesIO(to_bytes(framework_template())))["填写说明"].values))
    assert to_bytes(sites_template())


def not_xlsx_zip() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


def header_only() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["测评类别", "测评项目", "测评内容", "测评标准", "牵头单位"])
    return to_bytes(workbook)


def missing_columns() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["测评类别", "测评项目", "牵头单位", "完成时限"])
    workbook.active.append(["1 公共秩序", "1.1 交通秩序", "市城管局", "立即"])
    return to_bytes(workbook)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "上传的文件是空的"),
    ("点位名称,类型\n人民广场,公共广场\n".encode(), "文件不是有效的 Excel（.xlsx）文件"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "这是旧版 Excel（.xls）"),
    (not_xlsx_zip(), "文件不是有效的 Excel（.xlsx）文件"),
    (b"PK\x03\x04" + b"\0" * 100, "文件不是有效的 Excel（.xlsx）文件"),
    (header_only(), "表格只有表头，没有数据行"),
    (missing_columns(), "缺少必需的列：测评标准"),
    (b"0" * (MAX_BYTES + 1), "文件过大（5.0 MB），上限为 5.0 MB"),
])
def test_bad_files_get_a_clear_message_and_change_nothing(client_for, office_clerk, private_media, data, message):
    response = upload(client_for(office_clerk), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert pending_files(private_media) == [] and not Framework.objects.exists()


def test_upload_preview_confirm_creates_the_edition_and_one_event(client_for, office_clerk, tree_file, private_media):
    data, before = tree_file
    old = Framework.objects.create(name="2021年版", year=2021, is_active=True)
    client = client_for(office_clerk)

    response = upload(client, data, activate="on")
    assert response.status_code == 302 and len(pending_files(private_media)) == 1
    preview = client.get(response.url).content.decode()
    assert "检查通过" in preview and "测评标准 <strong>7</strong>" in preview
    assert "新建测评体系版本“2026年版”，并设为当前启用版本；原启用版本“2021年版”转为只读" in preview
    assert not Indicator.objects.exists()

    confirm_url = reverse("imports:confirm", args=[response.url.split("/")[-2]])
    done = client.post(confirm_url, follow=True).content.decode()

    assert "导入成功" in done and "测评标准 7" in done
    new = Framework.objects.get(name="2026年版")
    assert snapshot(new) == before
    old.refresh_from_db()
    assert new.is_active and not old.is_active
    assert Event.objects.filter(verb="framework.import").count() == 1
    assert pending_files(private_media) == []
    # The same confirmation posted again (a double click) imports nothing and leads to the result.
    again = client.post(confirm_url)
    assert again.status_code == 302 and again.url == reverse("imports:index")
    assert Framework.objects.filter(name="2026年版").count() == 1
    assert Event.objects.filter(verb="framework.import").count() == 1


def test_a_file_with_errors_shows_them_and_cannot_be_confirmed(client_for, office_clerk, tree_file, private_media):
    workbook = openpyxl.load_workbook(BytesIO(tree_file[0]))
    workbook.active["G3"] = "市城官局"
    workbook.active["F3"] = "现场看"
    client = client_for(office_clerk)
    response = upload(client, to_bytes(workbook))
    preview = client.get(response.url).content.decode()
    assert "第3行 测评方法“现场看”无法识别" in preview
    assert "牵头单位“市城官局”不存在，是否为“市城管局”？" in preview and "把『市城官局』记为『市城管局』的别名" in preview
    assert "data-testid=\"confirm-import\"" not in preview and "上传修改后的文件" in preview
    only_errors = client.get(response.url + "?show=errors").content.decode()
    assert only_errors.count('class="table-danger"') == 1

    result = client.post(reverse("imports:confirm", args=[response.url.split("/")[-2]]), follow=True)
    assert "没有导入任何数据" in result.content.decode()
    assert not Framework.objects.exists() and not Responsibility.objects.exists()


def test_reupload_replaces_the_pending_file(client_for, office_clerk, tree_file, private_media):
    client = client_for(office_clerk)
    first = upload(client, tree_file[0])
    token = first.url.split("/")[-2]
    second = upload(client, tree_file[0], replaces=token)
    assert second.status_code == 302 and second.url != first.url
    assert pending_files(private_media) == [f"{second.url.split('/')[-2]}.xlsx"]


def test_someone_elses_pending_import_is_not_found(client, client_for, office_clerk, tree_file):
    from ..factories import person

    response = upload(client_for(office_clerk), tree_file[0])
    other = person("clerk2", "office", office_clerk.memberships.first().unit, "吴敏")
    client.force_login(other)
    assert client.get(response.url).status_code == 404


def test_import_fills_an_empty_edition_but_never_mixes_with_rows(client_for, office_clerk, tree_file, private_media):
    empty = Framework.objects.create(name="2027年版", year=2027)
    client = client_for(office_clerk)
    response = upload(client, tree_file[0], target="empty", framework=empty.pk)
    assert "填入空版本“2027年版”" in client.get(response.url).content.decode()
    client.post(reverse("imports:confirm", args=[response.url.split("/")[-2]]))
    assert snapshot(empty) == tree_file[1] and Framework.objects.count() == 1

    # The edition is no longer empty: a second file cannot be poured into it.
    form = client.get(reverse("imports:index")).context["framework_form"]
    assert empty not in form.fields["framework"].queryset
    again = upload(client, tree_file[0], target="empty", framework=empty.pk)
    assert again.status_code == 400 and "选择一个有效的选项" in again.content.decode()


def test_site_import_preview_counts_new_and_updated(client_for, office_clerk, city, private_media):
    from .test_import_sites import seed_sites, sheet

    seed_sites(city)
    client = client_for(office_clerk)
    data = sheet([["人民广场", "公共广场", "东湖区", "湖滨街道", "人民路 2 号", "", "", ""],
                  ["江滩公园", "公园", "江北区", "", "", "", "", ""]])
    response = upload(client, data, kind="sites", name="点位.xlsx")
    preview = client.get(response.url).content.decode()
    assert "确认后将新增 1 个点位、更新 1 个点位" in preview and "更新：地址、经度、纬度、包保单位" in preview
    done = client.post(reverse("imports:confirm", args=[response.url.split("/")[-2]]), follow=True)
    assert "导入成功：新增点位 1 个，更新 1 个。" in done.content.decode()
    assert "导入点位清单《点位.xlsx》" in client.get(reverse("imports:index")).content.decode()


def test_site_export_downloads_every_site(client_for, office_clerk, city):
    from .test_import_sites import seed_sites

    seed_sites(city)
    response = client_for(office_clerk).get(reverse("imports:export_sites"))
    ws = openpyxl.load_workbook(BytesIO(response.content)).active
    assert sorted(ws.cell(r, 1).value for r in range(3, ws.max_row + 1)) == ["人民广场", "人民广场", "湖滨农贸市场"]


def test_only_the_office_has_the_import_menu_entry(client_for, office_clerk, liaison_a):
    def labels(user):
        return [e["label"] for g in client_for(user).get("/").context["nav_menu"] for e in g["entries"]]

    assert "数据导入导出" in labels(office_clerk)
    assert "数据导入导出" not in labels(liaison_a)
