"""数据导入导出 (office only): upload a 目标任务分解表 or a 点位清单 → preview every row with its
problems → confirm (all or nothing); download templates and exports that import back unchanged."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from campaign import services
from campaign.access import require
from campaign.forms.imports import (
    ColumnMappingForm,
    FrameworkUploadForm,
    PeopleUploadForm,
    SiteUploadForm,
    UnitUploadForm,
)
from campaign.models import Event, Framework, Membership, OrgUnit, Site, User
from campaign.services import onboarding, spreadsheets
from campaign.services.once import replay, submit_once
from campaign.services.spreadsheets import SheetError, framework_sheet, pending, people_sheet, sites_sheet, units_sheet
from campaign.services.spreadsheets.mapping import column_mapping_save
from campaign.services.spreadsheets.people_sheet import parse_people
from campaign.services.spreadsheets.reading import MappingNeeded
from campaign.services.spreadsheets.units_sheet import parse_units
from campaign.views.common import paginate

KINDS = {
    "framework": {"form": FrameworkUploadForm, "parse": spreadsheets.parse_framework, "title": "目标任务分解表",
                  "columns": framework_sheet.COLUMNS},
    "sites": {"form": SiteUploadForm, "parse": spreadsheets.parse_sites, "title": "点位清单",
              "columns": sites_sheet.COLUMNS},
    "units": {"form": UnitUploadForm, "parse": parse_units, "title": "单位通讯录", "columns": units_sheet.COLUMNS},
    "people": {"form": PeopleUploadForm, "parse": parse_people, "title": "人员名单", "columns": people_sheet.COLUMNS},
}
IMPORT_VERBS = ["framework.import", "site.import", "unit.import", "people.import", "import.mapping"]
# The one-time passwords of the accounts an import just created wait here (in the session, on
# the server) until the office has seen them once and downloaded them at most once.
ISSUED_KEY = "issued_accounts"
PAGED_PREVIEWS = {"sites", "units", "people"}
PREVIEW_PAGE_ROWS = 200


def parse_entry(entry: dict, data: bytes):
    """Parse a pending file with what the office chose since the upload: the answers to the
    preview's questions, and the edition's year (dates written without one, 6月底前, fall in it)."""
    if entry["kind"] != "framework":
        return KINDS[entry["kind"]]["parse"](data, filename=entry["filename"])
    options = entry["options"]
    year, update = options.get("year"), None
    if options.get("target") in ("empty", "update"):
        edition = Framework.objects.filter(pk=options.get("framework")).first()
        year = edition.year if edition else None
        update = edition if options["target"] == "update" else None
        if options["target"] == "update" and edition is None:
            raise SheetError("要更新的测评体系版本已不存在，请重新上传。")
    return spreadsheets.parse_framework(data, filename=entry["filename"], answers=options.get("answers"), year=year, update=update)


def _kind(kind: str) -> dict:
    if kind not in KINDS:
        raise Http404("没有这种导入。")
    return KINDS[kind]


def _xlsx(workbook, filename: str) -> HttpResponse:
    response = HttpResponse(spreadsheets.to_bytes(workbook), content_type=spreadsheets.XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def index(request, forms=None):
    require(request.user, "imports.use")
    forms = forms or {}
    frameworks = Framework.objects.annotate(standards=Count("indicators", filter=Q(indicators__level=4)))
    context = {
        "framework_form": forms.get("framework") or FrameworkUploadForm(),
        "sites_form": forms.get("sites") or SiteUploadForm(),
        "units_form": forms.get("units") or UnitUploadForm(),
        "people_form": forms.get("people") or PeopleUploadForm(),
        "unit_count": OrgUnit.objects.count(),
        "people_count": User.objects.filter(memberships__isnull=False).distinct().count(),
        "frameworks": frameworks.order_by("-is_active", "-year", "-id"),
        "site_count": Site.objects.count(),
        "events": Event.objects.filter(verb__in=IMPORT_VERBS).select_related("actor")[:10],
    }
    return render(request, "campaign/import_index.html", context, status=400 if forms else 200)


@require_POST
def upload(request, kind):
    """Check the file as a whole, keep it privately and show the row-by-row preview."""
    require(request.user, "imports.use")
    spec = _kind(kind)
    form = spec["form"](request.POST, request.FILES)
    if form.is_valid():
        upload_file = form.cleaned_data["file"]
        data = upload_file.read()
        try:
            spec["parse"](data, filename=upload_file.name)
        except MappingNeeded:
            return _keep(request, form, kind, data, upload_file.name, "imports:mapping")
        except SheetError as exc:
            form.add_error("file", str(exc))
        else:
            return _keep(request, form, kind, data, upload_file.name, "imports:preview")
    return index(request, forms={kind: form})


def _keep(request, form, kind: str, data: bytes, filename: str, then: str):
    """Keep the uploaded file privately until it is confirmed, and go on to ``then``."""
    options = form.options() if hasattr(form, "options") else {}
    if request.POST.get("replaces"):
        pending.discard(request, request.POST["replaces"])
    token = pending.store(request, kind=kind, data=data, filename=filename, options=options)
    return redirect(then, token=token)


def mapping(request, token):
    """Which column is which: asked once for a header the reader could not understand with
    confidence (or on request, to change a remembered answer), then on to the preview."""
    require(request.user, "imports.use")
    entry, data = pending.load(request, token)
    spec = KINDS[entry["kind"]]
    try:
        parsed = spec["parse"](data, filename=entry["filename"])
    except MappingNeeded as exc:
        band, asked = exc.band, True
    except SheetError as exc:
        pending.discard(request, token)
        messages.error(request, str(exc))
        return redirect("imports:index")
    else:
        band, asked = parsed.table.parts[0].band, False
    form = ColumnMappingForm(request.POST or None, band=band, columns=spec["columns"])
    if request.method == "POST" and form.is_valid():
        try:
            column_mapping_save(actor=request.user, kind=entry["kind"], what=spec["title"], band=band,
                                choices=form.choices(), columns=spec["columns"])
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
        else:
            messages.success(request, "列的对应关系已保存，以后上传表头相同的表格会自动按此读取。")
            return redirect("imports:preview", token=token)
    context = {"entry": entry, "token": token, "title": spec["title"], "band": band, "form": form, "asked": asked}
    return render(request, "campaign/imports/mapping.html", context, status=400 if form.errors else 200)


def preview(request, token):
    require(request.user, "imports.use")
    entry, data = pending.load(request, token)
    spec = KINDS[entry["kind"]]
    try:
        parsed = parse_entry(entry, data)
    except MappingNeeded:
        return redirect("imports:mapping", token=token)
    except SheetError as exc:  # reference data cannot make a readable file unreadable, but be safe
        pending.discard(request, token)
        messages.error(request, str(exc))
        return redirect("imports:index")
    only_errors = request.GET.get("show") == "errors"
    rows = [r for r in parsed.rows if r.errors] if only_errors else parsed.rows
    page = None
    if entry["kind"] in PAGED_PREVIEWS:  # a city's whole site list is 20,000 rows: one page would be megabytes
        page = paginate(request, rows, PREVIEW_PAGE_ROWS)
        rows = page.object_list
    form = spec["form"](initial={**entry["options"], "target": entry["options"].get("target", "new")})
    form.helper.form_tag = False  # the template wraps it with the token of the file it replaces
    context = {
        "entry": entry, "token": token, "kind": entry["kind"], "title": spec["title"], "parsed": parsed,
        "rows": rows, "only_errors": only_errors, "messages_list": parsed.messages[:50],
        "more_messages": max(len(parsed.messages) - 50, 0), "form": form, "target": _target_text(entry, parsed),
        "several_sheets": len(parsed.table.parts) > 1,
        "page": page,
    }
    return render(request, f"campaign/import_preview_{entry['kind']}.html", context)


def _target_text(entry: dict, parsed) -> str:
    """What confirming will do, in one sentence for the preview page."""
    options = entry["options"]
    if entry["kind"] in ("units", "people"):
        return _list_target_text(entry["kind"], parsed)
    if entry["kind"] == "sites":
        counts = parsed.counts()
        return (f"确认后将新增 {counts['新增']} 个点位、更新 {counts['更新']} 个点位（按“区 + 点位名称”匹配），"
                f"{counts['无变化']} 个无变化；文件中没有列出的点位保持不变。")
    if options.get("target") == "empty":
        framework = Framework.objects.filter(pk=options.get("framework")).first()
        return f"确认后，指标和责任分工将填入空版本“{framework}”。" if framework else "所选的空版本已不存在，请重新上传。"
    if options.get("target") == "update":
        diff = parsed.differences
        if diff.is_empty:
            return f"与“{diff.framework}”相比没有任何变化，确认后不会修改数据。"
        return (f"确认后将更新“{diff.framework}”：新增 {diff.new} 条、修改 {diff.changed} 条，{diff.unchanged} 条无变化；"
                f"表中没有列出的 {diff.kept} 个指标保持不变。")
    text = f"确认后将新建测评体系版本“{Framework(name=options['name'], year=options['year'])}”"
    active = Framework.active()
    if options.get("activate"):
        text += "，并设为当前启用版本" + (f"；原启用版本“{active}”转为只读，旧记录仍引用它" if active else "")
    else:
        text += "，暂不启用" + (f"（当前启用版本仍是“{active}”）" if active else "")
    return text + "。已有版本的数据不会被修改，也不会与导入的数据混合。"


def _list_target_text(kind: str, parsed) -> str:
    counts = parsed.counts()
    if parsed.changes_nothing:
        return "与系统中的数据完全一致，确认导入不会有任何变化。"
    if kind == "units":
        return (f"确认后将新增 {counts['新增']} 个单位、更新 {counts['更新']} 个单位（按“上级单位 + 单位名称”匹配），"
                f"{counts['无变化']} 个无变化；文件中没有列出的单位保持不变。")
    new_people = len({r.values["username"] for r in parsed.rows if r.status == "新增" and r.existing is None})
    return (f"确认后将为 {new_people} 位新人员建立账号（每人一个一次性密码，只在导入结果页显示一次），"
            f"更新 {counts['更新']} 行的人员或任职，{counts['无变化']} 行无变化；名单中没有的人员和任职保持不变。")


@require_POST
def confirm(request, token):
    require(request.user, "imports.use")
    # The preview's token is the form's one-time key: a second 确认导入 imports nothing.
    key = f"import:{token}"
    earlier = replay(request, key)
    if earlier:
        return earlier
    entry, data = pending.load(request, token)
    try:
        parsed = parse_entry(entry, data)
    except MappingNeeded:
        return redirect("imports:mapping", token=token)
    except SheetError as exc:
        messages.error(request, f"{exc} 没有导入任何数据。")
        return redirect("imports:index")
    if not parsed.is_valid:
        messages.error(request, "文件中还有错误（可能是预览后单位、领导等基础数据有变化），没有导入任何数据。")
        return redirect("imports:preview", token=token)
    try:
        with submit_once(request, key=key) as once:
            if once.earlier:
                return once.earlier
            text = _apply(request, entry, parsed)
            once.done(reverse("imports:index"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages) + " 没有导入任何数据。")
        return redirect("imports:preview", token=token)
    except IntegrityError:
        messages.error(request, "预览之后数据已被他人修改，没有导入任何数据。请重新上传预览后再确认。")
        return redirect("imports:preview", token=token)
    pending.discard(request, token)
    messages.success(request, text)
    if entry["kind"] == "people" and request.session.get(ISSUED_KEY, {}).get(str(token)):
        return redirect("imports:accounts", token=token)
    return redirect("imports:index")


def _apply(request, entry: dict, parsed) -> str:
    filename, options = entry["filename"], entry["options"]
    if entry["kind"] == "units":
        created, updated = onboarding.unit_list_import(actor=request.user, parsed=parsed, filename=filename)
        return f"导入成功：新增单位 {created} 个，更新 {updated} 个。"
    if entry["kind"] == "people":
        return _apply_people(request, entry, parsed)
    if entry["kind"] == "sites":
        created, updated = services.site_list_import(actor=request.user, parsed=parsed, filename=filename)
        return f"导入成功：新增点位 {created} 个，更新 {updated} 个。"
    if options.get("target") == "update":
        created, updated = services.framework_update_import(
            actor=request.user, parsed=parsed, filename=filename, framework=parsed.differences.framework)
        if not created and not updated:
            return "导入完成：与当前版本相比没有变化，没有修改任何数据。"
        return f"导入成功：“{parsed.differences.framework}”已更新，新增 {created} 条，修改 {updated} 条。"
    framework = None
    if options.get("target") == "empty":
        framework = Framework.objects.filter(pk=options.get("framework")).first()
        if framework is None:
            raise ValidationError("所选的空版本已不存在。")
    framework = services.framework_import(
        actor=request.user, parsed=parsed, filename=filename, framework=framework,
        name=options.get("name", ""), year=options.get("year"), activate=options.get("activate", False),
    )
    counts = "、".join(f"{label} {n}" for label, n in parsed.counts().items())
    return f"导入成功：“{framework}”已建立，共 {counts}。"


def _apply_people(request, entry: dict, parsed) -> str:
    accounts, updated = onboarding.people_list_import(actor=request.user, parsed=parsed, filename=entry["filename"])
    if accounts:
        issued = request.session.get(ISSUED_KEY, {})
        issued[str(request.resolver_match.kwargs["token"])] = {
            "accounts": [vars(a) for a in accounts], "shown": False, "filename": entry["filename"],
        }
        request.session[ISSUED_KEY] = issued
    return f"导入成功：新建账号 {len(accounts)} 个，更新 {updated} 人。"


def accounts(request, token):
    """The new accounts and their one-time passwords, shown once: a reload says they were shown."""
    require(request.user, "imports.use")
    issued = request.session.get(ISSUED_KEY, {})
    batch = issued.get(str(token))
    if batch is None:
        raise Http404("没有找到这批新建账号。")
    if batch["shown"]:
        return render(request, "campaign/import_accounts.html", {"token": token, "batch": batch, "gone": True})
    batch["shown"] = True
    request.session[ISSUED_KEY] = issued
    return render(request, "campaign/import_accounts.html", {"token": token, "batch": batch, "gone": False})


@require_POST
def accounts_download(request, token):
    """The same passwords as a sheet, once; afterwards they are forgotten."""
    require(request.user, "imports.use")
    issued = request.session.get(ISSUED_KEY, {})
    batch = issued.pop(str(token), None)
    if batch is None:
        raise Http404("这批一次性密码已经下载过或已清除，不能再次下载。如有遗失，请由系统管理员为该用户重设密码。")
    request.session[ISSUED_KEY] = issued
    services.event_record(actor=request.user, verb="people.passwords", target=request.user,
                          summary=f"下载《{batch['filename']}》新建的 {len(batch['accounts'])} 个账号的一次性密码")
    return _xlsx(spreadsheets.writing.accounts_workbook(batch["accounts"]), "新建账号（一次性密码）.xlsx")


@require_POST
def accounts_forget(request, token):
    require(request.user, "imports.use")
    issued = request.session.get(ISSUED_KEY, {})
    if issued.pop(str(token), None) is None:
        raise Http404("没有找到这批新建账号的一次性密码，可能已经清除。")
    request.session[ISSUED_KEY] = issued
    messages.info(request, "一次性密码已从系统中清除。")
    return redirect("imports:index")


@require_POST
def discard(request, token):
    require(request.user, "imports.use")
    if str(token) not in request.session.get(pending.SESSION_KEY, {}):
        raise Http404("没有找到这个待导入的文件，可能已经导入、已取消或已过期。")
    pending.discard(request, token)
    messages.info(request, "已取消本次导入，没有写入任何数据。")
    return redirect("imports:index")


def template(request, kind):
    require(request.user, "imports.use")
    _kind(kind)
    if kind == "framework":
        return _xlsx(spreadsheets.framework_template(), "目标任务分解表（导入模板）.xlsx")
    if kind in LIST_TEMPLATES:
        return _xlsx(LIST_TEMPLATES[kind](), f"{KINDS[kind]['title']}（导入模板）.xlsx")
    return _xlsx(spreadsheets.sites_template(), "点位清单（导入模板）.xlsx")


def export_framework(request, pk):
    require(request.user, "imports.use")
    framework = get_object_or_404(Framework, pk=pk)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx(spreadsheets.framework_workbook(framework), f"目标任务分解表-{framework.name}-{stamp}.xlsx")


def export_sites(request):
    require(request.user, "imports.use")
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx(spreadsheets.sites_workbook(Site.objects.visible_to(request.user)), f"点位清单-{stamp}.xlsx")


LIST_TEMPLATES = {"units": spreadsheets.writing.units_template, "people": spreadsheets.writing.people_template}


def export_units(request):
    require(request.user, "imports.use")
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx(spreadsheets.writing.units_workbook(OrgUnit.objects.all()), f"单位通讯录-{stamp}.xlsx")


def export_people(request):
    require(request.user, "imports.use")
    stamp = timezone.localdate().strftime("%Y%m%d")
    people = User.objects.filter(pk__in=Membership.objects.values("user_id"))
    return _xlsx(spreadsheets.writing.people_workbook(people), f"人员名单-{stamp}.xlsx")
