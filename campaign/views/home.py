from django.apps import apps
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from campaign import services
from campaign.models import Notification


def home(request):
    """工作台: the user's to-do cards (gathered from each app), units and roles, recent inbox."""
    todos = []
    for config in apps.get_app_configs():
        provider = getattr(config, "todos", None)
        if provider:
            todos.extend(provider(request.user))
    context = {
        "todos": todos,
        "recent_notifications": request.user.notifications.all()[:8],
    }
    return render(request, "campaign/home.html", context)


def inbox(request):
    show = request.GET.get("show", "all")
    notes = request.user.notifications.all()
    if show == "unread":
        notes = notes.unread()
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "campaign/notification_list.html", {"page": page, "show": show})


@require_POST
def inbox_read_all(request):
    count = services.notification_mark_read(user=request.user)
    messages.success(request, f"已将 {count} 条通知标记为已读。")
    return redirect("campaign:inbox")


@require_POST
def notification_open(request, pk):
    """Mark the notification read and follow its link (only to this site). A POST: a GET (link
    prefetch, a crawler, a mail scanner) must not change what is read."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(user=request.user, notification=note)
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("campaign:inbox")
