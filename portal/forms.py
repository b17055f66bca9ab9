import re

from django import forms
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator

from municipalities.auth import may_sign_in


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


class PortalPasswordResetForm(PasswordResetForm):
    """Django's reset form, except that nobody who may not sign in (a demo account outside demo mode) gets a link."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if may_sign_in(user))


USERNAME_LIMIT = 150  # the length of User.username


class BoundedUsernameMixin:
    """A name longer than any login is refused before anyone looks it up. (Django sets the field's max_length
    after creating it, so without this nothing checks it, and the login throttle failed to record a 300-character
    name: a 500 instead of a message.)"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(
            MaxLengthValidator(USERNAME_LIMIT, message=f"Имя входа — не длиннее {USERNAME_LIMIT} символов.")
        )


class PortalAuthenticationForm(BoundedUsernameMixin, AuthenticationForm):
    """The login page's form."""


class PortalAdminAuthenticationForm(BoundedUsernameMixin, AdminAuthenticationForm):
    """The admin's login form."""
