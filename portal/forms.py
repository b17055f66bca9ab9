import re

from django import forms
from django.contrib import messages


class BootstrapMixin:
    """Adds Bootstrap classes to widgets, so templates render ``{{ field }}`` and look right."""

    compact = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "form-control"
            if self.compact and css != "form-check-input":
                css += f" {css}-sm"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields and "is-invalid" not in self.fields[name].widget.attrs.get("class", ""):
                self.fields[name].widget.attrs["class"] = (
                    self.fields[name].widget.attrs.get("class", "") + " is-invalid"
                )


class FilterForm(BootstrapMixin, forms.Form):
    """The form of a django-filter FilterSet: small controls for a filter bar."""

    compact = True


class PreferencesForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        from municipalities.models import User

        model = User
        fields = ["email", "email_mode"]


MAX_ID = 2**63 - 1  # the largest bigint primary key
_ID = re.compile(r"[0-9]{1,19}")


def parse_id(value) -> int | None:
    """A database id as a person or a crafted link sends it: ASCII digits within bigint, else None.

    Every view reads ids from query strings and forms through this (or ``id_param``), so "abc", "1.5",
    "²" or a 40-digit number never reaches a lookup."""
    text = value.strip() if isinstance(value, str) else ""
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def id_param(request, name: str, *, label: str) -> int | None:
    """An id from the query string; a bad one is ignored and the page says so (never a server error)."""
    raw = request.GET.get(name, "")
    if not raw:
        return None
    number = parse_id(raw)
    if number is None:
        shown = raw if len(raw) <= 40 else f"{raw[:40]}…"
        messages.warning(request, f"{label}: «{shown}» в адресе страницы — не номер, фильтр не применён.")
    return number
