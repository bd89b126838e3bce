"""The round report page and its .xlsx export."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from campaign.access import require
from inspections import selectors
from inspections.services.exports import report_workbook
from inspections.views.common import round_for


def round_report(request, pk):
    """检查结果通报: score tables, 红黑榜, change against the previous round of the same kind."""
    require(request.user, "inspections.view")
    rnd = round_for(request.user, pk)
    report = selectors.round_report(rnd, request.user)
    return render(request, "inspections/round_report.html", {"round": rnd, "report": report})


def round_report_xlsx(request, pk):
    require(request.user, "inspections.view")
    rnd = round_for(request.user, pk)
    content = report_workbook(selectors.round_report(rnd, request.user))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"{rnd.name}-得分率.xlsx")
    return response
