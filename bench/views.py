"""The naive baseline the task list is compared with: a bare Django view over the same table that
lists 50 rows with an exact ``COUNT(*)`` (Django's ``Paginator``), with no login, no scoping, no
filters and no site layout. Served only by the bench URLconf (``DJANGO_ROOT_URLCONF=bench.urls``)."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template import engines

from tasks.models import RectificationTask

PAGE = engines["django"].from_string(
    "<!doctype html><html lang=\"zh-hans\"><head><meta charset=\"utf-8\"><title>整改任务（基线）</title></head><body>"
    "<p>共 {{ page.paginator.count }} 条，第 {{ page.number }} / {{ page.paginator.num_pages }} 页</p>"
    "<table><tr><th>编号</th><th>问题</th><th>牵头单位</th><th>状态</th><th>整改期限</th></tr>"
    "{% for t in page %}<tr><td>{{ t.number }}</td><td>{{ t.title }}</td><td>{{ t.lead_unit.name }}</td>"
    "<td>{{ t.get_state_display }}</td><td>{{ t.due_date|date:'Y-m-d' }}</td></tr>{% endfor %}</table></body></html>"
)


@login_not_required
def naive_task_list(request):
    rows = RectificationTask.objects.select_related("lead_unit").order_by("-assigned_at", "-id")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return HttpResponse(PAGE.render({"page": page}, request))
