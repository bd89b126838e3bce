"""Visit pages for a phone in the street: pick a site, fill the checklist, photos, submit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from archives.services import evidence_make_rendition
from campaign.access import can, require
from campaign.models import Event, Site
from campaign.views.params import param_id
from inspections import selectors, services
from inspections.models import Result, Visit, VisitPhoto
from inspections.views.common import member_round_for, refused, visit_for


def my_visits(request):
    """我的检查任务: open rounds the inspector is in, with what is left to visit."""
    require(request.user, "inspections.my_visits")
    rounds = selectors.my_open_rounds(request.user)
    drafts = (Visit.objects.filter(inspector=request.user, status=Visit.Status.DRAFT, round__status="open")
              .select_related("round", "site"))
    recent = (Visit.objects.filter(inspector=request.user, status=Visit.Status.SUBMITTED)
              .select_related("round", "site").order_by("-submitted_at")[:10])
    return render(request, "inspections/visit_mine.html", {"rounds": rounds, "drafts": drafts, "recent": recent})


def visit_pick(request, pk):
    """Choose a site of the round; the page sorts it nearest first when the phone gives a location."""
    require(request.user, "inspections.capture")
    rnd = member_round_for(request.user, pk)
    return render(request, "inspections/visit_pick.html", {"round": rnd, **selectors.site_choices(rnd, request.user)})


@require_POST
def visit_start(request, pk, site_pk):
    require(request.user, "inspections.capture")
    rnd = member_round_for(request.user, pk)
    site = get_object_or_404(Site.objects.visible_to(request.user), pk=site_pk)
    try:
        visit = services.visit_start(actor=request.user, round=rnd, site=site,
                                     latitude=request.POST.get("lat"), longitude=request.POST.get("lon"))
    except ValidationError as error:
        refused(request, error)
        return redirect("inspections:visit_pick", rnd.pk)
    return redirect("inspections:visit_capture", visit.pk)


def _answers(request, visit) -> dict[int, dict]:
    """Answers present in the POST: ``r<line id>`` (result) and ``n<line id>`` (note)."""
    answers = {}
    for pk in visit.results.values_list("pk", flat=True):
        answer = {}
        if f"r{pk}" in request.POST:
            answer["result"] = request.POST[f"r{pk}"]
        if f"n{pk}" in request.POST:
            answer["note"] = request.POST[f"n{pk}"]
        if answer:
            answers[pk] = answer
    return answers


def _store_posted_photos(request, visit) -> None:
    """Without JavaScript the photos come with the form (``p<line id>``); store them one by one."""
    for line in visit.results.all():
        for upload in request.FILES.getlist(f"p{line.pk}"):
            services.visit_add_photo(actor=request.user, visit=visit, line=line, file=upload)


def _editable(visit, user) -> bool:
    return visit.inspector_id == user.pk and visit.allows("edit") and visit.round.allows("fill_visit")


def visit_capture(request, pk):
    """The checklist, item by item. Saved as a draft on the server (automatically, by the page's
    script, and with 保存); 提交 freezes it. Someone else's or a submitted visit shows read-only."""
    require(request.user, "inspections.capture")
    visit = visit_for(request.user, pk)
    if not _editable(visit, request.user):
        return redirect("inspections:visit_detail", visit.pk)
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        try:
            _store_posted_photos(request, visit)
            # Save first: a refused submission (an item left open) must not lose what was sent.
            services.visit_save(actor=request.user, visit=visit, answers=_answers(request, visit),
                                note=request.POST.get("visit_note"), autosave=submit)
            if submit:
                services.visit_submit(actor=request.user, visit=visit)
        except ValidationError as error:
            refused(request, error)
            return redirect("inspections:visit_capture", visit.pk)
        if submit:
            messages.success(request, f"“{visit.site.name}”的检查已提交。")
            return redirect("inspections:visit_detail", visit.pk)
        messages.success(request, "草稿已保存，可以随时回来继续填写。")
        return redirect("inspections:visit_capture", visit.pk)
    lines = list(visit.results.select_related("indicator", "recheck__task").prefetch_related("photos"))
    return render(request, "inspections/visit_capture.html", {
        "visit": visit, "lines": lines, "results": Result.choices, "max_photos": services.visits.MAX_PHOTOS_PER_LINE,
        "done": sum(1 for line in lines if line.result),
        "saved_stamp": visit.saved_at.isoformat() if visit.saved_at else "",
    })


def _json_error(error: ValidationError, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": "；".join(error.messages)}, status=status)


@require_POST
def visit_autosave(request, pk):
    """The page's background save (JSON). Answers only; photos go up one by one."""
    require(request.user, "inspections.capture")
    visit = visit_for(request.user, pk)
    try:
        visit = services.visit_save(actor=request.user, visit=visit, answers=_answers(request, visit),
                                    note=request.POST.get("visit_note"), autosave=True)
    except ValidationError as error:
        return _json_error(error)
    saved = timezone.localtime(visit.saved_at)
    return JsonResponse({"stamp": visit.saved_at.isoformat(), "label": f"已保存 {saved:%H:%M:%S}"})


def _photo_json(photo: VisitPhoto) -> dict:
    return {
        "id": photo.pk, "line": photo.result_id, "name": photo.evidence.original_name,
        "thumb": reverse("inspections:photo", args=[photo.pk, "thumb"]),
        "full": reverse("inspections:photo", args=[photo.pk, "print"]),
        "delete": reverse("inspections:photo_delete", args=[photo.pk]),
        "taken_at": timezone.localtime(photo.evidence.taken_at).strftime("%Y-%m-%d %H:%M")
        if photo.evidence.taken_at else "",
        "gps": bool(photo.evidence.gps_lat),
    }


@require_POST
def photo_upload(request, pk):
    """One photo for one line, uploaded as soon as it is taken (JSON answer)."""
    require(request.user, "inspections.capture")
    visit = visit_for(request.user, pk)
    line_id = param_id(request.POST, "line")
    line = get_object_or_404(visit.results, pk=line_id) if line_id else None
    upload = request.FILES.get("photo")
    if line is None or upload is None:
        return _json_error(ValidationError("没有收到照片，请重新拍摄或选择。"))
    try:
        photo = services.visit_add_photo(actor=request.user, visit=visit, line=line, file=upload)
    except ValidationError as error:
        return _json_error(error)
    return JsonResponse(_photo_json(photo))


def _photo_for(user, pk) -> VisitPhoto:
    return get_object_or_404(
        VisitPhoto.objects.select_related("evidence", "result").filter(visit__in=Visit.objects.visible_to(user)),
        pk=pk)


@require_POST
def photo_delete(request, pk):
    require(request.user, "inspections.capture")
    photo = _photo_for(request.user, pk)
    visit_id = photo.visit_id
    try:
        services.visit_remove_photo(actor=request.user, photo=photo)
    except ValidationError as error:
        if request.headers.get("Accept", "").startswith("application/json"):
            return _json_error(error)
        refused(request, error)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"deleted": pk})
    return redirect("inspections:visit_capture", visit_id)


def photo_image(request, pk, size):
    """A visit photo through the visit's scope check: ``thumb``, ``print`` (upright) or ``original``."""
    require(request.user, "inspections.view")
    photo = _photo_for(request.user, pk)
    item = photo.evidence
    if size in {"thumb", "print"} and not (item.thumb_file and item.print_file):
        try:
            item = evidence_make_rendition(item=item)
        except Exception:  # an unreadable picture: fall back to the original bytes
            size = "original"
    field = {"thumb": item.thumb_file, "print": item.print_file, "original": item.file}.get(size)
    if not field:
        raise Http404("照片不存在。")
    response = FileResponse(field.open("rb"), content_type="image/jpeg" if size != "original" else item.mime)
    return response


def visit_detail(request, pk):
    """A visit as submitted (or someone else's draft): results, score, findings and their tasks."""
    require(request.user, "inspections.view")
    visit = visit_for(request.user, pk)
    lines = list(visit.results.select_related("indicator", "recheck__task", "finding__task")
                 .prefetch_related("photos__evidence"))
    return render(request, "inspections/visit_detail.html", {
        "visit": visit, "lines": lines, "can_manage": can(request.user, "inspections.manage"),
        "can_edit": _editable(visit, request.user),
        "events": Event.objects.for_object(visit).select_related("actor")[:30],
    })
