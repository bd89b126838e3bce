"""Login throttling, security headers and cookies, request hygiene, and the admin's audit trail."""

import json
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from campaign.models import CalendarDay, Event, Site, SiteType
from campaign.services.admin_audit import AuditedAdmin

from ..factories import PASSWORD, UserFactory
from .hostile import _save

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = {"campaign", "archives", "tasks", "inspections", "reports"}


def login(client, username, password, ip="10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


# --- login throttling ---------------------------------------------------------------------------


def test_repeated_bad_logins_lock_the_account_on_that_address(client, office_clerk, liaison_a):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, "clerk", "wrong-password")
        assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    assert login(client, "clerk", "wrong-password").status_code == 429  # the last allowed try locks
    locked = login(client, "clerk", PASSWORD)
    page = locked.content.decode()
    assert locked.status_code == 429 and "登录失败次数过多" in page and "15 分钟" in page
    assert "_auth_user_id" not in client.session  # the right password does not get in while locked
    # Another person behind the same address (one office network) still signs in.
    assert login(client, "liaison_a", PASSWORD).status_code == 302
    client.logout()
    # The same account from elsewhere is not locked either (the lock is per account and address).
    assert login(client, "clerk", PASSWORD, ip="10.0.0.8").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, office_clerk):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "clerk", "wrong-password")
    assert login(client, "clerk", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    response = login(client, "clerk", PASSWORD)
    assert response.status_code == 302 and response.url == "/"


# --- headers and cookies --------------------------------------------------------------------------


def assert_security_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'self'"


def test_pages_carry_the_security_headers(client, liaison_a):
    assert_security_headers(client.get(reverse("login")))
    client.force_login(liaison_a)
    for name in ["home", "tasks:index", "archives:upload", "reference:indicators"]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert_security_headers(response)
    assert_security_headers(client.get("/tasks/999999/"))  # error pages too


def production_settings() -> dict:
    """The security settings as production computes them (DJANGO_SECURE_SSL=true, DEBUG off)."""
    names = ["SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE",
             "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
             "SECURE_PROXY_SSL_HEADER", "DEBUG"]
    code = ("import json; from django.conf import settings; "
            f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))")
    env = {"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "false", "DJANGO_SECURE_SSL": "true",
           "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "cwt.example.gov.cn"}
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_and_https_is_enforced(client, liaison_a):
    prod = production_settings()
    assert prod["DEBUG"] is False and prod["SESSION_COOKIE_SECURE"] and prod["CSRF_COOKIE_SECURE"]
    assert prod["SESSION_COOKIE_HTTPONLY"] and prod["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert prod["SECURE_SSL_REDIRECT"] and prod["SECURE_HSTS_SECONDS"] >= 31536000
    prod["SECURE_PROXY_SSL_HEADER"] = tuple(prod["SECURE_PROXY_SSL_HEADER"])
    del prod["DEBUG"]
    with override_settings(**prod):
        plain = client.get(reverse("login"))
        assert plain.status_code == 301 and plain.url.startswith("https://")
        behind_proxy = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
        assert behind_proxy.status_code == 200
        assert behind_proxy["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        csrf = behind_proxy.cookies["csrftoken"]
        assert csrf["secure"] and csrf["samesite"] == "Lax"
        response = client.post(reverse("login"), {"username": "liaison_a", "password": PASSWORD}, secure=True)
        assert response.status_code == 302
        session = response.cookies[settings.SESSION_COOKIE_NAME]
        assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


# --- request hygiene ------------------------------------------------------------------------------


def test_nul_characters_are_refused_before_any_view(client, liaison_a):
    client.force_login(liaison_a)
    for response in [client.get(reverse("tasks:index"), {"q": "abc\x00"}),
                     client.get(reverse("archives:list"), {"q\x00": "x"}),
                     client.post(reverse("campaign:inbox_read_all"), {"note": "\x00"})]:
        assert response.status_code == 400 and "非法字符" in response.content.decode()
    assert client.get(reverse("tasks:index"), {"q": "正常的搜索"}).status_code == 200


def test_a_pending_import_of_someone_else_cannot_be_discarded(client, office_clerk):
    client.force_login(office_clerk)
    response = client.post(reverse("imports:discard", args=["0b9d4c1e-52cf-4a4e-9a37-6a0c0a9b1f11"]))
    assert response.status_code == 404


def test_a_stray_value_far_below_a_sheet_is_refused_at_once(client, office_clerk):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "区"
    wb.active["B1"] = "点位名称"
    wb.active["XFD1048576"] = "x"
    client.force_login(office_clerk)
    upload = SimpleUploadedFile("点位清单.xlsx", _save(wb))
    response = client.post(reverse("imports:upload", args=["sites"]), {"file": upload})
    assert response.status_code == 400 and "超出可处理的范围" in response.content.decode()


def test_templates_have_no_inline_script():
    """The CSP refuses inline script: scripts come from static files, no on*= or hx-on attributes."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0) and "application/json" not in match.group(0):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in
                      re.finditer(r"\s(on[a-z]+|hx-on[\w:-]*)\s*=\s*[\"']", text)]
        offenders += [f"{path.relative_to(ROOT)}: javascript: URL" for _ in re.finditer(r"javascript:", text)]
    assert not offenders, "\n".join(offenders)


# --- the admin's audit trail ----------------------------------------------------------------------


def our_admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in OUR_APPS]


def test_every_admin_of_our_apps_writes_audit_events_on_every_path(rf):
    """Each ModelAdmin derives from AuditedAdmin, keeps its audit hooks, and offers no bulk action
    that would change rows without them (delete_selected goes through log_deletions)."""
    request = rf.get("/admin/")
    request.user = UserFactory(username="root", is_staff=True, is_superuser=True)
    problems = []
    for model, model_admin in our_admins():
        if not isinstance(model_admin, AuditedAdmin):
            problems.append(f"{model.__name__}: 不是 AuditedAdmin")
            continue
        for hook in ("log_addition", "log_change", "log_deletions"):
            owner = next(k for k in type(model_admin).__mro__ if hook in vars(k))
            if owner is not AuditedAdmin:
                problems.append(f"{model.__name__}: {owner.__name__} 覆盖了 {hook}")
        extra = set(model_admin.get_actions(request)) - {"delete_selected"}
        if extra:
            problems.append(f"{model.__name__}: 批量操作 {sorted(extra)} 不经过审计")
    assert our_admins() and not problems, "\n".join(problems)


def test_admin_add_change_delete_and_password_leave_audit_events(client, city):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    before = Event.objects.count()
    added = client.post(reverse("admin:campaign_calendarday_add"),
                        {"date": "2031-10-08", "kind": "holiday", "note": "国庆调休"})
    assert added.status_code == 302
    day = CalendarDay.objects.get(date="2031-10-08")
    assert Event.objects.for_object(day).get().verb == "admin.add"

    site = Site.objects.create(name="江滩公园", site_type=_site_type(), district=city.north)
    response = client.post(reverse("admin:campaign_calendarday_delete", args=[day.pk]), {"post": "yes"})
    assert response.status_code == 302 and not CalendarDay.objects.filter(pk=day.pk).exists()
    bulk = client.post(reverse("admin:campaign_site_changelist"),
                       {"action": "delete_selected", "_selected_action": [site.pk], "post": "yes"})
    assert bulk.status_code == 302 and not Site.objects.filter(pk=site.pk).exists()

    person = UserFactory(username="someone")
    password = client.post(reverse("admin:auth_user_password_change", args=[person.pk]),
                           {"password1": "N3w-Passw0rd!x", "password2": "N3w-Passw0rd!x", "usable_password": "true"})
    assert password.status_code == 302
    verbs = list(Event.objects.order_by("pk").values_list("verb", "target_repr")[before:])
    assert ("admin.add", str(day)) in verbs and ("admin.delete", str(day)) in verbs
    assert ("admin.delete", "江滩公园") in verbs and ("admin.change", str(person)) in verbs


def _site_type():
    return SiteType.objects.get_or_create(code="park", defaults={"name": "公园"})[0]
