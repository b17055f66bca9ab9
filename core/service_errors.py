"""A service's ValidationError shown to the person who asked: on the form's fields, or as page messages.

Services raise ``django.core.exceptions.ValidationError`` with Russian messages, with or without field
names; the API turns the same error into a 400 (``core.api_errors``), pages use these two helpers.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError


def show_errors(request, exc: ValidationError) -> None:
    """Every message of the error as an error message at the top of the next page."""
    for message in exc.messages:
        messages.error(request, message)


def add_form_errors(form, exc: ValidationError) -> None:
    """Each message on its field where the form has that field, else above the form."""
    by_field = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, field_errors in by_field.items():
        for error in field_errors:
            form.add_error(field if field in form.fields else None, error)
