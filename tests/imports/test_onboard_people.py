"""人员名单 through the import pages: names with posts in brackets, roles read from 职务, phones
typed every way, one person on two rows; new accounts get random one-time passwords that the
office sees once and may download once; never a default password; twice changes nothing."""

from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from campaign.models import Event, Membership, Role, User

from .corpus_onboard import people_list
from .onboard_flow import confirm, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_people_list_creates_accounts_with_one_time_passwords_shown_once(client_for, office_clerk, city):
    client = client_for(office_clerk)
    token, preview = upload(client, "people", people_list())

    assert "检查通过" in preview and "为 7 位新人员建立账号" in preview
    assert "姓名：王建国，职务：副市长" in preview and "角色：联络员（按职务推断）" in preview
    assert "手机号码：13800138102" in preview and "与第7行是同一人（另一任职）" in preview
    assert not User.objects.filter(username="13800138102").exists()

    done = confirm(client, token)
    assert done.url == reverse("imports:accounts", args=[token])
    page = client.get(done.url).content.decode()
    passwords = dict(zip(
        [line.split("<code>")[1].split("</code>")[0] for line in page.split("\n") if "<td><code>" in line],
        [line.split('data-testid="password">')[1].split("<")[0] for line in page.split("\n") if "<td><code>" in line],
        strict=True,
    ))
    assert len(passwords) == 7 and len(set(passwords.values())) == 7
    for username, password in passwords.items():
        assert len(password) == 12
        assert User.objects.get(username=username).check_password(password)

    wang = User.objects.get(username="13800138101")
    assert wang.full_name == "王建国" and wang.phone == "13800138101" and wang.must_change_password
    assert Membership.objects.get(user=wang).title == "副市长"
    liu = User.objects.get(username="13800138105")
    assert sorted(liu.memberships.values_list("unit__name", "role")) == [("东湖区", Role.UNIT_HEAD), ("江北区", Role.LIAISON)]
    zhao = User.objects.get(full_name="赵敏")
    assert sorted(zhao.memberships.values_list("role", flat=True)) == [Role.ARCHIVIST, Role.LIAISON]
    assert User.objects.get(full_name="李娜").memberships.get().role == Role.LIAISON
    assert "一次性密码" in Event.objects.get(verb="people.import").summary

    # Shown once: a reload no longer shows them; the sheet downloads once, then never again.
    again = client.get(done.url).content.decode()
    assert 'data-testid="passwords-gone"' in again and not any(p in again for p in passwords.values())
    sheet = client.post(reverse("imports:accounts_download", args=[token]))
    rows = list(openpyxl.load_workbook(BytesIO(sheet.content)).active.iter_rows(min_row=3, values_only=True))
    assert {r[2]: r[3] for r in rows} == passwords
    assert client.post(reverse("imports:accounts_download", args=[token])).status_code == 404
    assert str(passwords["13800138101"]) not in str(dict(client.session))

    users = User.objects.count()
    token, twice = upload(client, "people", people_list())
    assert 'data-testid="nothing-changes"' in twice
    assert confirm(client, token).url == reverse("imports:index")
    assert User.objects.count() == users


def test_problems_are_all_named_and_nothing_is_written(client_for, office_clerk, city):
    from campaign.services.spreadsheets import to_bytes

    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(["姓名", "单位", "职务", "角色", "手机号码"])
    ws.append(["甲", "东湖去", "干事", "联络", "1380013"])
    ws.append(["乙", "东湖区", "科员", None, None])
    client = client_for(office_clerk)
    users = User.objects.count()
    token, preview = upload(client, "people", to_bytes(workbook))

    assert "第2行 “单位”列“东湖去”：单位“东湖去”不存在，是否为“东湖区”？" in preview
    assert "第2行 “角色”列“联络”：无法识别的角色" in preview
    assert "第2行 “手机号码”列“1380013”：不是有效的电话号码" in preview
    assert "第3行 “角色”列：缺少角色" in preview
    confirm(client, token)
    assert User.objects.count() == users


def test_an_edited_export_updates_people_in_place(client_for, office_clerk, liaison_a, city):
    from campaign.services.spreadsheets import to_bytes

    client = client_for(office_clerk)
    workbook = openpyxl.load_workbook(BytesIO(client.get(reverse("imports:export_people")).content))
    ws = workbook.active
    rows = {ws.cell(r, 6).value: r for r in range(3, ws.max_row + 1)}
    ws.cell(rows["liaison_a"], 5, "139 0000 1111")
    ws.cell(rows["liaison_a"], 3, "党政办副主任")

    token, preview = upload(client, "people", to_bytes(workbook))
    assert "更新 <strong>1</strong>" in preview and "更新：手机号码、职务" in preview
    confirm(client, token)
    liaison_a.refresh_from_db()
    assert liaison_a.phone == "13900001111" and liaison_a.memberships.get().title == "党政办副主任"


def test_an_imported_account_must_choose_its_own_password_first(client, city):
    from campaign.services.onboarding import one_time_password

    password = one_time_password()
    user = User.objects.create(username="13800138999", full_name="新人", must_change_password=True)
    user.set_password(password)
    user.save()
    client.force_login(user)

    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("password_change")
    assert client.get(reverse("password_change")).status_code == 200
    done = client.post(reverse("password_change"), {
        "old_password": password, "new_password1": "Qz7#mountain-river", "new_password2": "Qz7#mountain-river"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Qz7#mountain-river")
    assert client.get(reverse("home")).status_code == 200
