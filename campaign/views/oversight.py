"""分管关系: which units each leader oversees. The office keeps the list; a leader reads their own."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from campaign import services
from campaign.access import can, get_visible, require
from campaign.forms import add_service_errors
from campaign.forms.reference import OversightForm
from campaign.models import Event, Oversight
from campaign.services.once import once_per_form, submit_once


def oversight_list(request):
    require(request.user, "oversight.list")
    rows = Oversight.objects.visible_to(request.user).select_related("leader", "unit", "unit__parent")
    today = timezone.localdate()
    for row in rows:
        row.in_force = row.start <= today and (row.end is None or row.end >= today)
    can_edit = can(request.user, "reference.edit")
    return render(request, "campaign/oversight_list.html", {"rows": rows, "can_edit": can_edit})


@once_per_form
def oversight_create(request):
    require(request.user, "reference.edit")
    form = OversightForm(request.POST or None)
    return _save(request, form, Oversight())


@once_per_form
def oversight_edit(request, pk):
    require(request.user, "reference.edit")
    row = get_visible(Oversight.objects.select_related("leader", "unit"), request.user, pk=pk)
    return _save(request, OversightForm(request.POST or None, instance=row), row)


def _save(request, form, row):
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.FIELDS}
        try:
            with submit_once(request) as once:
                if once.earlier:
                    return once.earlier
                saved = services.oversight_save(actor=request.user, row=row, data=data)
                once.done(reverse("reference:oversight_list"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"分管关系已保存：{saved}（{saved.period_label}）")
            return redirect("reference:oversight_list")
    events = Event.objects.for_object(row).select_related("actor")[:20] if row.pk else []
    return render(request, "campaign/oversight_form.html", {"form": form, "row": row, "events": events})


@require_POST
def oversight_delete(request, pk):
    require(request.user, "reference.edit")
    row = get_visible(Oversight.objects.select_related("leader", "unit"), request.user, pk=pk)
    services.oversight_delete(actor=request.user, row=row)
    messages.success(request, f"已删除分管关系：{row}")
    return redirect("reference:oversight_list")
