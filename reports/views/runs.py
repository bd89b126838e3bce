"""报表与卷宗: the runs list with the dossier form, a run's page with its progress, the download."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campaign.access import get_visible, require
from campaign.models import Event, Framework
from campaign.services.once import once_per_form, submit_once
from reports import selectors
from reports.forms import DossierForm
from reports.models import ReportRun
from reports.services.runs import report_run_request


def _dossier_form(request, data=None):
    initial = {"compiler": selectors.default_compiler(request.user)}
    return DossierForm(data, user=request.user, framework=Framework.active(), initial=initial)


def index(request, form=None):
    """The user's runs (office: everyone's; leaders: also their scope's), and the dossier form."""
    require(request.user, "reports.dossiers")
    status = request.GET.get("status", "")
    page = Paginator(selectors.runs_for(request.user, status=status), 30).get_page(request.GET.get("page"))
    if form is None and selectors.can_build(request.user):
        form = _dossier_form(request)
    context = {"page": page, "form": form, "status": status, "statuses": ReportRun.Status.choices,
               "framework": Framework.active()}
    return render(request, "reports/reportrun_list.html", context, status=400 if form is not None and form.errors else 200)


@once_per_form
@require_POST
def dossier_request(request):
    require(request.user, "reports.build")
    form = _dossier_form(request, request.POST)
    if not form.is_valid():
        return index(request, form=form)
    with submit_once(request) as once:
        if once.earlier:
            return once.earlier
        run = report_run_request(kind=ReportRun.Kind.DOSSIER, parameters=form.parameters(),
                                 user=request.user, title=form.title(), unit=form.cleaned_data["unit"])
        once.done(reverse("reports:run_detail", args=[run.pk]))
    messages.success(request, "已提交生成申请，可以离开本页，稍后在“报表与卷宗”中下载。")
    return redirect("reports:run_detail", pk=run.pk)


def _run_for(request, pk):
    require(request.user, "reports.dossiers")
    runs = ReportRun.objects.filter(kind=ReportRun.Kind.DOSSIER).select_related("requested_by", "unit")
    return get_visible(runs, request.user, pk=pk)


def _run_context(run: ReportRun) -> dict:
    return {"run": run, "scope": selectors.describe_parameters(run),
            "events": Event.objects.for_object(run).select_related("actor")[:50]}


def run_detail(request, pk):
    return render(request, "reports/reportrun_detail.html", _run_context(_run_for(request, pk)))


def run_progress(request, pk):
    """The page's content, polled by htmx while the run works; once the run is done it renders
    without the trigger, showing the finished run, and polling stops."""
    return render(request, "reports/_run_page.html", _run_context(_run_for(request, pk)))


def run_download(request, pk):
    run = _run_for(request, pk)
    if run.status != ReportRun.Status.SUCCEEDED or not run.file:
        raise Http404("文件尚未生成。")
    try:
        handle = run.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件已不存在，请重新生成。") from exc
    return FileResponse(handle, as_attachment=True, filename=run.download_name, content_type="application/pdf")
