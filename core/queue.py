"""Putting work on the queue without letting a broker outage break the page that asked for it.

The row that describes the work (a Reminder, a Document) is already saved; if the broker cannot take the
message now, the periodic requeue picks the row up later.
"""

import logging

from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> bool:
    try:
        task.apply_async(
            args=args, retry=True, retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
        )
    except (OperationalError, OSError) as exc:
        logger.warning("Очередь недоступна, задача %s(%s) будет поставлена позже: %s", task.name, args, exc)
        return False
    return True
