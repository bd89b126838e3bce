"""People: a user's own profile."""

from __future__ import annotations

from django.db import transaction

from campaign.models import (
    User,
)
from campaign.services.audit import diff_fields, event_record


@transaction.atomic
def profile_update(*, user: User, data: dict) -> User:
    # Read "before" from the database: a bound ModelForm has already written into ``user``.
    stored = User.objects.get(pk=user.pk)
    before = {k: getattr(stored, k) for k in data}
    for key, value in data.items():
        setattr(user, key, value)
    user.save(update_fields=list(data))
    event_record(actor=user, verb="profile.update", target=user, summary="修改个人资料", changes=diff_fields(before, data))
    return user
