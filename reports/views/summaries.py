"""工作简报: the issues list with the on-demand form, an issue's page, its PDF and Word files."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campaign.access import get_visible, require
from campaign.models import Event
from campaign.services.once import once_per_form, submit_once
from reports.forms.summaries import SummaryRequestForm
from reports.models import Summary
from reports.services.summaries.services import summary_request

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def summary_list(request, form=None):
    require(request.user, "reports.summaries")
    kind = request.GET.get("kind", "")
    issues = Summary.objects.visible_to(request.user).select_related("run")
    if kind in Summary.Kind.values:
        issues = issues.filter(kind=kind)
    page = Paginator(issues, 30).get_page(request.GET.get("page"))
    context = {"page": page, "kind": kind, "kinds": Summary.Kind.choices,
               "form": form or SummaryRequestForm(user=request.user)}
    return render(request, "reports/summary_list.html", context, status=400 if form is not None else 200)


@once_per_form
@require_POST
def summary_new(request):
    require(request.user, "reports.summaries")
    form = SummaryRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        return summary_list(request, form=form)
    with submit_once(request) as once:
        if once.earlier:
            return once.earlier
        summary = summary_request(kind=form.kind, scope=form.cleaned_data["scope"],
                                  period=form.cleaned_data["period"], user=request.user)
        once.done(reverse("reports:summary_detail", args=[summary.pk]))
    messages.success(request, "已提交生成申请。生成完成后会通知您，可以离开本页。")
    return redirect("reports:summary_detail", pk=summary.pk)


def _summary_for(request, pk) -> Summary:
    require(request.user, "reports.summaries")
    return get_visible(Summary.objects.select_related("run", "requested_by"), request.user, pk=pk)


def generated_file_response(obj, fmt: str, name: str) -> FileResponse:
    """Send a report's generated PDF or .docx (``pdf_file`` / ``docx_file``) as a download."""
    field = {"pdf": obj.pdf_file, "docx": obj.docx_file}.get(fmt)
    if not field:
        raise Http404("文件尚未生成。")
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件已不存在，请重新生成。") from exc
    return FileResponse(handle, as_attachment=True, filename=f"{name}.{fmt}", content_type=CONTENT_TYPES[fmt])


def files_context(obj, name: str) -> dict:
    """What the polling page content and reports/summary_files.html need for a summary or a 通报."""
    return {"obj": obj, "run": obj.run, "poll_url": reverse(f"reports:{name}_detail", args=[obj.pk]),
            "pdf_url": reverse(f"reports:{name}_download", args=[obj.pk, "pdf"]),
            "docx_url": reverse(f"reports:{name}_download", args=[obj.pk, "docx"])}


def summary_detail(request, pk):
    """The issue's page; with ``?partial=1`` only its content, which polls itself until published."""
    summary = _summary_for(request, pk)
    context = files_context(summary, "summary")
    figures = summary.figures or {}
    context.update({"summary": summary, "figures": figures, "ranking": (figures.get("ranking") or [])[:10],
                    "events": Event.objects.for_object(summary).select_related("actor")[:50]})
    template = "reports/_summary_page.html" if request.GET.get("partial") else "reports/summary_detail.html"
    return render(request, template, context)


def summary_download(request, pk, fmt):
    summary = _summary_for(request, pk)
    return generated_file_response(summary, fmt, f"{summary.get_kind_display()}{summary.issue_label}")
