"""Forms of the monitoring: a document submitted by a municipality, a review comment, a decision's link."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin
from mechanisms.models import MAX_YEAR, MIN_YEAR, Direction


class SubmitForm(BootstrapMixin, forms.Form):
    compact = True
    year = forms.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, widget=forms.HiddenInput)
    file = forms.FileField(label=_("Файл (PDF, DOCX, ODT, XLSX, ODS, JPG, PNG; до 20 МБ)"), required=False)
    url = forms.CharField(label=_("или ссылка на документ на официальном сайте"), max_length=500, required=False,
                          widget=forms.URLInput(attrs={"placeholder": "https://"}))  # fmt: skip
    comment = forms.CharField(label=_("Комментарий"), max_length=2000, required=False)


class ReviewForm(BootstrapMixin, forms.Form):
    compact = True
    comment = forms.CharField(label=_("Замечания"), max_length=2000, required=False)


class LinkForm(BootstrapMixin, forms.Form):
    compact = True
    year = forms.IntegerField(label=_("Год мониторинга"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    direction = forms.ModelChoiceField(label=_("Направление"), queryset=Direction.objects.none(), required=False,
                                       empty_label=_("все направления"))  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].queryset = Direction.objects.for_user(user).active()
