"""Forms shared by every app.

A rule is stated once, in the service (backed by a DB constraint where there is one); a form only
parses its fields. When the service refuses, ``add_service_errors`` shows its messages on the
form: a message the service keyed by an argument goes under the field of that name (or the
form's ``SERVICE_FIELDS`` rename), any other above the form.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


def add_service_errors(form, error: Exception) -> None:
    """Put a service's refusal (a ValidationError, or any error with a message and an optional
    ``field``, such as the tasks app's TransitionError) on ``form``."""
    renames = getattr(form, "SERVICE_FIELDS", {})
    if not isinstance(error, ValidationError):
        error = ValidationError({getattr(error, "field", None) or "__all__": str(error)})
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        name = renames.get(name, name)
        form.add_error(name if name in form.fields else None, errors)
