from django import forms

from core.forms import BootstrapMixin


class PreferencesForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        from municipalities.models import User

        model = User
        fields = ["email", "email_mode"]
