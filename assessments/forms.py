from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.importing.errors import ResultFileError
from assessments.importing.sources import precheck
from assessments.models import AssessmentKind, FlagThresholds, Subject
from portal.forms import BootstrapMixin
from portal.uploads import MAX_UPLOAD_BYTES

RESULT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
MAX_RESULT_BYTES = 200 * 1024 * 1024


class ImportForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Процедура"), choices=AssessmentKind.choices)
    year = forms.IntegerField(
        label=_("Год"), min_value=2010, max_value=2100, initial=lambda: date.today().year
    )
    subject = forms.ModelChoiceField(label=_("Предмет"), queryset=Subject.objects.all(), required=False,
                                     help_text=_("Если в файле нет столбца «Предмет»."))  # fmt: skip
    grade = forms.IntegerField(label=_("Класс"), min_value=1, max_value=11, required=False,
                               help_text=_("Для ВПР и диагностик, если в файле нет столбца «Класс»."))  # fmt: skip
    file = forms.FileField(label=_("Файл результатов (XLSX или CSV)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(RESULT_SUFFIXES):
            raise forms.ValidationError(
                _("Файл «%(name)s»: загрузите XLSX, XLS, ODS или CSV.") % {"name": upload.name}
            )
        if upload.size > MAX_RESULT_BYTES:
            raise forms.ValidationError(_("Файл больше 200 МБ: разделите его по предметам."))
        try:  # type, damage, zip bombs and XML entities are refused before anything is stored
            precheck(upload, upload.name)
        except ResultFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        upload.seek(0)
        return upload


class ScalesForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Таблица шкал (XLSX)"), help_text=_("В том же виде, что выгрузка этой страницы.")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".ods", ".csv")):
            raise forms.ValidationError(_("Файл «%(name)s»: загрузите XLSX.") % {"name": upload.name})
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Файл слишком большой."))
        try:
            precheck(upload, upload.name)
        except ResultFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        upload.seek(0)
        return upload


INLINE_BYTES = MAX_UPLOAD_BYTES // 4  # smaller files are checked in the request; bigger ones by a worker


class FlagThresholdsForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = FlagThresholds
        fields = ["min_participants", "gia_min_failed", "gia_min_share", "low_decile", "low_years_needed",
                  "journal_mean_diff", "bunching_share", "fdr_q"]  # fmt: skip
        localized_fields = "__all__"  # 10,0 as Russians write it


def draft_meetings(user):
    """Draft protocols this user keeps, newest first: where a flag's question can go."""
    from meetings.models import Meeting

    drafts = Meeting.objects.for_user(user).filter(status=Meeting.Status.DRAFT).order_by("-date", "-pk")
    return [m for m in drafts.select_related("organizer_organization") if m.user_can_manage(user)]


class FlagsToMeetingForm(BootstrapMixin, forms.Form):
    """Which protocol gets the question: an existing draft, or a new one."""

    meeting = forms.ChoiceField(label=_("Куда"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.drafts = {str(m.pk): m for m in draft_meetings(user)}
        choices = [("new", _("новое совещание (черновик протокола)"))]
        choices += [(pk, f"{m} — {m.title[:60]} (черновик)") for pk, m in self.drafts.items()]
        self.fields["meeting"].choices = choices

    def clean_meeting(self):
        value = self.cleaned_data["meeting"]
        return None if value == "new" else self.drafts[value]
