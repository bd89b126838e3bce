"""领导驾驶舱: the dashboard of a scope, its spreadsheet, and the office's "refresh now"."""

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from campaign.access import require
from reports.selectors.dashboard import selectors
from reports.selectors.metrics import scopes
from reports.services.exports import dashboard_xlsx
from reports.services.snapshots import snapshot_request_refresh


def dashboard(request):
    """KPI cards, trends, red/yellow lists, 红黑榜 and score rates of one scope."""
    require(request.user, "reports.dashboard")
    scope = scopes.resolve(request.user, request.GET.get("scope", ""))
    period = request.GET.get("period", "month")
    context = selectors.dashboard(request.user, scope, period_kind=period if period in selectors.PERIODS else "month")
    context["can_refresh"] = scopes.can_see_all(request.user)
    return render(request, "reports/dashboard_index.html", context)


def dashboard_export(request):
    """The dashboard's tables (cards, full ranking, red and yellow lists, score rates) as .xlsx."""
    require(request.user, "reports.dashboard")
    scope = scopes.resolve(request.user, request.GET.get("scope", ""))
    period = request.GET.get("period", "month")
    context = selectors.dashboard(request.user, scope, period_kind=period if period in selectors.PERIODS else "month")
    response = HttpResponse(dashboard_xlsx(context, request=request),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"领导驾驶舱-{scope.name}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


@require_POST
def dashboard_refresh(request):
    require(request.user, "reports.dashboard_refresh")
    snapshot_request_refresh(user=request.user)
    messages.success(request, "已提交统计更新，约一分钟后刷新本页即可看到最新数据。")
    key = request.POST.get("scope", "")
    url = reverse("reports:dashboard")
    return redirect(f"{url}?{urlencode({'scope': key})}" if scopes.parse_key(key) else url)


def _quote(name: str) -> str:
    return quote(name)
