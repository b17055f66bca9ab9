from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator

from core.forms import BootstrapMixin
from municipalities.auth import may_sign_in


class PreferencesForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        from municipalities.models import User

        model = User
        fields = ["email", "email_mode"]


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
