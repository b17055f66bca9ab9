from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    unread = 0
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        from notifications.models import Notification

        unread = Notification.objects.filter(user=request.user).unread().count()
    return {"PORTAL_NAME": settings.PORTAL_NAME, "DEMO": settings.DEMO, "UNREAD_NOTIFICATIONS": unread}
