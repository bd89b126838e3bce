"""Uploading many files at once, then captioning each; submitting for review; corrections."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from archives import selectors, services
from archives.models import EvidenceItem, category_choices
from archives.services import CAPTION_FIELDS
from archives.views.common import editable_item, ids_from
from archives.views.pages import caption_form_for
from campaign.access import UNIT_UPLOADERS, require
from campaign.models import Indicator
from campaign.views.params import param_id


def upload(request):
    """The drag-and-drop page; files go one by one to ``upload_file`` (static/archives/upload.js)."""
    require(request.user, "archives.upload")
    units = selectors.upload_units(request.user).order_by("path")
    own = request.user.unit_paths_for(*UNIT_UPLOADERS)
    default = next((u for u in units if u.path in own), None)
    context = {"units": units, "default_unit": default, "categories": category_choices(),
               "limits": {k: v // (1024 * 1024) for k, v in services.limits().items() if k in ("photo", "document")}}
    return render(request, "archives/evidence_upload.html", context)


def _json_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"ok": False, "error": message}, status=status, json_dumps_params={"ensure_ascii": False})


@require_POST
def upload_file(request):
    """Store one file; answer JSON for the page's per-file row."""
    require(request.user, "archives.upload")
    unit_id = param_id(request.POST, "unit")
    unit = selectors.upload_units(request.user).filter(pk=unit_id).first() if unit_id else None
    if unit is None:
        return _json_error("请选择要上传到的单位（只能上传到本单位或下级单位）。")
    upload = request.FILES.get("file")
    if upload is None:
        return _json_error("没有收到文件，请重新选择。")
    ids = ids_from(request.POST, "indicators")
    indicators = list(Indicator.objects.active().standards().filter(pk__in=ids))
    try:
        item = services.evidence_store(file=upload, uploader=request.user, unit=unit, indicators=indicators,
                                       category=request.POST.get("category") or None)
    except ValidationError as exc:
        return _json_error(" ".join(exc.messages))
    return JsonResponse({
        "ok": True, "id": item.pk, "name": item.original_name, "reused": item.reused,
        "message": "该文件此前已上传过，未重复保存，已关联到原资料。" if item.reused else "已上传",
        "url": reverse("archives:detail", args=[item.pk]),
        "thumb": reverse("archives:thumb", args=[item.pk]) if item.is_photo else "",
    }, json_dumps_params={"ensure_ascii": False})


def caption_batch(request):
    """Caption the files just uploaded (``?ids=1,2,3``), each in its own form."""
    require(request.user, "archives.upload")
    ids = ids_from(request.GET)
    items = (EvidenceItem.objects.editable_by(request.user) & EvidenceItem.objects.visible_to(request.user))
    items = items.filter(pk__in=ids).select_related("unit").order_by("pk")
    cards = [{"item": item, "form": caption_form_for(item)} for item in items]
    return render(request, "archives/evidence_caption.html", {"cards": cards, "ids": ",".join(map(str, ids))})


def _card(request, item, form, saved=False, status=200):
    return render(request, "archives/_caption_card.html", {"card": {"item": item, "form": form, "saved": saved}},
                  status=status)


def caption(request, pk):
    """Edit one item's caption: a page of its own, or (htmx) a card on the batch page."""
    item = editable_item(request.user, pk)
    form = caption_form_for(item, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in CAPTION_FIELDS}
            data["year"] = data["year"] or item.year
            try:
                item = services.evidence_update_caption(actor=request.user, item=item, data=data,
                                                        indicators=form.cleaned_data["indicators"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if request.htmx:
                    return _card(request, item, caption_form_for(item), saved=True)
                messages.success(request, "资料说明已保存。")
                return redirect("archives:detail", pk=item.pk)
        if request.htmx:
            return _card(request, item, form, status=200)
    return render(request, "archives/evidence_caption.html", {"cards": [{"item": item, "form": form}],
                                                              "single": True, "ids": str(item.pk)})


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    # Only a path on this site: redirect() would read any other word as a view name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@require_POST
def submit(request, pk):
    item = editable_item(request.user, pk)
    try:
        item = services.evidence_submit(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"《{item.title}》已提交审核。")
    return _back(request, reverse("archives:detail", args=[item.pk]))


@require_POST
def submit_many(request):
    require(request.user, "archives.upload")
    ids = ids_from(request.POST)
    items = list((EvidenceItem.objects.editable_by(request.user) & EvidenceItem.objects.visible_to(request.user))
                 .filter(pk__in=ids).current().filter(status__in=["draft", "returned"]))
    if not items:
        messages.info(request, "没有需要提交的草稿或退回资料。")
        return _back(request, reverse("archives:list"))
    try:
        services.evidence_submit_many(actor=request.user, items=items)
    except ValidationError as exc:
        messages.error(request, "未提交（需全部补全后一起提交）：" + "；".join(exc.messages))
        return _back(request, reverse("archives:list"))
    messages.success(request, f"已提交审核 {len(items)} 份资料。")
    return redirect(f"{reverse('archives:list')}?status=submitted")


@require_POST
def correct(request, pk):
    """Upload a corrected version: the old item stays and is marked superseded."""
    item = editable_item(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择更正后的文件。")
        return redirect("archives:detail", pk=item.pk)
    try:
        new = services.evidence_store_correction(actor=request.user, old=item, file=upload)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("archives:detail", pk=item.pk)
    messages.success(request, "已上传更正版本，原资料保留并标记为“已被替代”。请核对说明后提交审核。")
    return redirect(f"{reverse('archives:caption_batch')}?ids={new.pk}")


FIELD_NAME = re.compile(r"^(i\d+-)?indicators$")


@require_GET
def standard_search(request):
    """htmx: standards of the active framework matching a code prefix or words (max 20)."""
    query = request.GET.get("q", "").strip()[:50]
    field = request.GET.get("field", "indicators")
    field = field if FIELD_NAME.match(field) else "indicators"
    results = []
    if query:
        results = list(
            Indicator.objects.active().standards()
            .filter(Q(code__istartswith=query) | Q(name__icontains=query) | Q(text__icontains=query))
            .order_by("path")[:20]
        )
    return render(request, "archives/_standard_results.html", {"results": results, "field": field, "query": query})
