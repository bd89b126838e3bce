"""批量交办 pages: upload a spreadsheet → preview with per-row errors and routing → confirm."""

import secrets

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from campaign.access import require
from campaign.services.once import replay, submit_once
from campaign.services.spreadsheets import MAX_BYTES, SheetError
from tasks.services import TransitionError, bulk

SESSION_KEY = "tasks_bulk_handover"


def _preview(request, checks, token, file_name):
    bad = [c for c in checks if not c.ok]
    context = {
        "checks": checks, "token": token, "file_name": file_name, "bad_count": len(bad),
        "error_count": sum(len(c.errors) for c in bad), "ok": not bad,
    }
    return render(request, "tasks/bulk_preview.html", context)


def bulk_upload(request):
    """Step 1: the upload form; a posted file is read and checked, nothing is saved yet."""
    require(request.user, "tasks.create")
    if request.method != "POST":
        return render(request, "tasks/bulk_upload.html")
    upload = request.FILES.get("file")
    if upload is None:
        return render(request, "tasks/bulk_upload.html", {"error": "请选择要上传的 Excel 文件。"})
    if upload.size > MAX_BYTES:
        return render(request, "tasks/bulk_upload.html", {"error": "文件过大，上限 5 MB。"})
    try:
        rows = bulk.read_rows(upload.read(), filename=upload.name)
    except SheetError as exc:
        return render(request, "tasks/bulk_upload.html", {"error": str(exc), "file_name": upload.name})
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {"token": token, "file": upload.name[:200], "rows": rows}
    return _preview(request, bulk.check_rows(rows, user=request.user), token, upload.name)


@require_POST
def bulk_confirm(request):
    """Step 2: check the kept rows again and create every task, or none."""
    require(request.user, "tasks.create")
    token = request.POST.get("token", "")
    # The preview's token is the form's one-time key: a second 确认交办 creates nothing.
    key = f"bulk:{token}" if token.isascii() and 0 < len(token) <= 64 else None
    earlier = replay(request, key) if key else None
    if earlier:
        return earlier
    kept = request.session.get(SESSION_KEY)
    if not kept or kept.get("token") != token:
        messages.error(request, "预览已过期或已经交办过，请重新上传表格。")
        return redirect("tasks:bulk_upload")
    checks = bulk.check_rows(kept["rows"], user=request.user)
    try:
        with submit_once(request, key=key) as once:
            if once.earlier:
                return once.earlier
            created = bulk.bulk_handover(actor=request.user, checks=checks)
            once.done(reverse("tasks:index"))
    except TransitionError as exc:
        messages.error(request, str(exc))
        return _preview(request, checks, kept["token"], kept["file"])
    del request.session[SESSION_KEY]
    messages.success(request, f"已批量交办 {len(created)} 件整改任务（{created[0].number} 至 {created[-1].number}），"
                              "各牵头单位已收到待签收通知。")
    return redirect("tasks:index")


def bulk_template(request):
    require(request.user, "tasks.create")
    response = HttpResponse(
        bulk.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, "批量交办模板.xlsx")
    return response
