from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.importing.errors import ResultFileError
from assessments.importing.sources import precheck
from assessments.models import AssessmentKind, Subject
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


INLINE_BYTES = MAX_UPLOAD_BYTES // 4  # smaller files are checked in the request; bigger ones by a worker
