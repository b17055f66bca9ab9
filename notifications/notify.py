"""In-portal notifications: one row per person, written in the same transaction as the change."""

from collections.abc import Iterable

from notifications.models import Notification


def notify(users: Iterable, text: str, url: str = "") -> int:
    rows = [
        Notification(user=user, text=text[:500], url=url) for user in {u.pk: u for u in users if u}.values()
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)
