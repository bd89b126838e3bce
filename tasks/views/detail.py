"""The task page, its lifecycle action forms, and its photos."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from campaign.access import get_visible
from campaign.services.once import once_per_form, submit_once
from tasks import services
from tasks.forms import ActionForm
from tasks.models import RectificationTask, TaskPhoto, TransitionError, TransitionForbidden
from tasks.selectors import task_for_page, task_page_context


def task_detail(request, pk):
    from tasks.views.relay import relay_context  # it imports this module's _done/_refused

    task = get_visible(task_for_page(RectificationTask.objects.all()), request.user, pk=pk)
    context = task_page_context(task, request.user, timezone.localdate())
    context.update(relay_context(task, request.user))
    return render(request, "tasks/task_detail.html", context)


@once_per_form
@require_http_methods(["GET", "POST"])
def task_act(request, pk, action):
    """One lifecycle action: GET shows its form (an htmx modal body, or a page on phones and
    without JS); POST calls ``task_transition``. Wrong role or unit → 403; not allowed now or
    missing input → the form again with the reason, nothing changed."""
    task = get_visible(RectificationTask.objects.select_related("lead_unit", "time_limit"), request.user, pk=pk)
    today = timezone.localdate()
    try:
        transition = task.check_transition(action, request.user, None, today=today)
    except TransitionForbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except TransitionError as exc:
        if request.method == "POST":
            return _refused(request, task, str(exc))
        messages.error(request, str(exc))
        return redirect("tasks:detail", pk=task.pk)
    bound = request.method == "POST"
    form = ActionForm(request.POST if bound else None, request.FILES if bound else None, transition=transition,
                      task=task, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with submit_once(request) as once:
                if once.earlier:
                    return once.earlier
                if action == "rebound":
                    new = services.task_rebound(task=task, actor=request.user, note=form.cleaned_data["note"],
                                                files=form.cleaned_data.get("photos", []), today=today)
                    once.done(new)
                    messages.success(request, f"已登记反弹，并重新交办为 {new.number}。")
                    return _done(request, new)
                services.task_transition(task=task, actor=request.user, action=action, today=today,
                                         **form.service_kwargs())
                once.done(task)
        except TransitionForbidden as exc:
            raise PermissionDenied(str(exc)) from None
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{transition.label}：已完成。")
            return _done(request, task)
    template = "tasks/_action_form.html" if request.htmx else "tasks/task_action.html"
    return render(request, template, {"task": task, "transition": transition, "form": form})


def _done(request, task):
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = task.get_absolute_url()
        return response
    return redirect(task)


def _refused(request, task, message):
    if request.htmx:
        return render(request, "tasks/_action_refused.html", {"task": task, "message": message})
    messages.error(request, message)
    return redirect(task)


def task_photo(request, pk, photo_pk, size="thumb"):
    """A task photo, to whoever may see the task (the evidence row may belong to another unit,
    e.g. before-photos after a reassignment). ``size``: thumb, print or original."""
    task = get_visible(RectificationTask.objects.all(), request.user, pk=pk)
    photo = get_object_or_404(TaskPhoto.objects.select_related("evidence"), pk=photo_pk, task=task)
    item = photo.evidence
    field = {"thumb": item.thumb_file or item.print_file or item.file,
             "print": item.print_file or item.file, "original": item.file}.get(size)
    if field is None or not field.name:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = item.mime if field.name == item.file.name else "image/jpeg"
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    if size == "original":
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(item.original_name)}"
    return response
