from django.conf import settings

from .navigation import menu_for


def portal(request):
    user = getattr(request, "user", None)
    context = {"CITY_NAME": settings.CITY_NAME}
    if user is None or not user.is_authenticated:
        return context
    context["nav_menu"] = menu_for(user, request.path)
    context["unread_count"] = user.notifications.unread().count()
    context["my_memberships"] = list(user.memberships.select_related("unit").order_by("unit__path"))
    return context
