"""Naming the actor of an audited write (django-auditlog) where the middleware could not."""

from auditlog.context import auditlog_value


def attribute_to(user) -> None:
    """API requests authenticate in the view (token), after the audit middleware ran: name the actor now."""
    try:
        context = auditlog_value.get()
    except LookupError:
        return
    if context.get("actor") is None and user is not None and user.is_authenticated:
        context["actor"] = user
