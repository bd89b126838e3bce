from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render

from campaign import services
from campaign.forms.account import LoginForm, PasswordForm, ProfileForm
from campaign.models import Event

PortalPasswordChangeForm = PasswordForm


class PortalLoginView(LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        if changed:
            services.profile_update(user=request.user, data=changed)
        messages.success(request, "个人资料已保存。")
        return redirect("campaign:profile")
    memberships = request.user.memberships.select_related("unit").order_by("unit__path")
    events = Event.objects.for_object(request.user).select_related("actor")[:20]
    return render(request, "campaign/profile.html", {"form": form, "memberships": memberships, "events": events})
