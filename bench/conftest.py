# The same personas and switches as the tests.
from bench.figures import report_figures
from tests.conftest import _plain_static_storage, _tasks_in_process, client_for, django_db_setup, people, smtp

__all__ = [
    "_plain_static_storage",
    "_tasks_in_process",
    "client_for",
    "django_db_setup",
    "people",
    "report_figures",
    "smtp",
]
