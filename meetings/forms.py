from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin
from meetings.deadlines import Deadline, parse_deadline
from meetings.models import Meeting
from meetings.parties import PartyResolver, PartyTarget
from meetings.protocol_import import ProtocolFileError, extract_text
from meetings.protocol_import.extract import MAX_FILE_BYTES
from meetings.protocol_import.people import rapporteurs
from municipalities.limits import INTEGER_MAX, sane_date_validator
from municipalities.models import Role, User

SANE = sane_date_validator(_("Дата"))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def lines(text: str) -> list[str]:
    return [line.strip(" \t;,") for line in (text or "").splitlines() if line.strip(" \t;,")]


def controller_choices(meeting_municipality=None, *, region_id: int | None = None):
    """Who may control decisions: the region's committee staff, or the organising municipality's heads."""
    if meeting_municipality is not None:
        return User.objects.filter(is_active=True, role=Role.MUNICIPALITY, municipality=meeting_municipality)
    return User.objects.filter(is_active=True, role=Role.COMMITTEE, region_id=region_id)


class ProtocolSourceForm(BootstrapMixin, forms.Form):
    """Step 1 of entering a protocol: paste its text, upload a file, or start from an empty form."""

    text = forms.CharField(
        label=_("Текст протокола"), required=False, widget=forms.Textarea(attrs={"rows": 14})
    )
    file = forms.FileField(label=_("или файл .docx / .txt"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > MAX_FILE_BYTES:
                raise ValidationError(_("Файл «%(name)s» больше %(mb)s МБ: загрузите протокол без вложенных изображений.")
                                      % {"name": upload.name, "mb": MAX_FILE_BYTES // (1024 * 1024)})  # fmt: skip
            try:
                data["text"] = extract_text(upload.read(), upload.name)
            except ProtocolFileError as exc:
                raise ValidationError(str(exc)) from exc
        if not (data.get("text") or "").strip():
            raise ValidationError(_("Вставьте текст протокола или выберите файл."))
        return data


class MeetingHeaderForm(BootstrapMixin, forms.ModelForm):
    chair = forms.CharField(label=_("Председатель"), required=False)
    secretary = forms.CharField(label=_("Секретарь"), required=False)
    members = forms.CharField(label=_("Присутствовали (по одному в строке)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    invited = forms.CharField(label=_("Приглашённые (по одному в строке)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    controller = forms.ModelChoiceField(label=_("Контролёр решений"), queryset=User.objects.none())
    source_text = forms.CharField(required=False, widget=forms.HiddenInput)
    control = forms.ChoiceField(
        label=_("Сроки решений уже прошли. Что это за протокол?"), required=False, widget=forms.RadioSelect,
        choices=[("archival", _("Запись о прошлом: поручения внести как исполненные, без напоминаний")),
                 ("current", _("Текущий контроль: поставить на контроль, напоминания начнутся сразу"))],
    )  # fmt: skip

    class Meta:
        model = Meeting
        fields = ["kind", "date", "number", "title", "place"]
        widgets = {"date": DateInput(), "title": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].validators.append(SANE)
        self.fields["controller"].queryset = controller_choices(municipality, region_id=user.region_id)
        self.fields["control"].widget.attrs["class"] = "form-check-input"
        if self.fields["controller"].queryset.filter(pk=user.pk).exists():
            self.fields["controller"].initial = user.pk


class ItemForm(BootstrapMixin, forms.Form):
    number = forms.IntegerField(label=_("№"), min_value=1, max_value=INTEGER_MAX)
    title = forms.CharField(label=_("Вопрос"), widget=forms.Textarea(attrs={"rows": 2}))
    speakers = forms.CharField(label=_("Докладчики"), required=False)
    heard = forms.CharField(label=_("Слушали"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    spoke = forms.CharField(label=_("Выступили"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_speakers(self) -> str:
        """Rapporteurs are names: «докл. Иванова А.П., начальник отдела –» is saved as «Иванова А.П.»."""
        return ", ".join(rapporteurs(self.cleaned_data["speakers"]))


class MeetingEditForm(BootstrapMixin, forms.ModelForm):
    """A saved protocol's header and participants; for a signed one the edit is a new revision with a reason."""

    chair = forms.CharField(label=_("Председатель"), required=False)
    secretary = forms.CharField(label=_("Секретарь"), required=False)
    members = forms.CharField(label=_("Присутствовали (по одному в строке)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    invited = forms.CharField(label=_("Приглашённые (по одному в строке)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    comment = forms.CharField(
        label=_("Основание изменения"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Meeting
        fields = ["kind", "date", "number", "title", "place"]
        widgets = {"date": DateInput(), "title": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.is_signed:
            self.fields["comment"].required = True

    def _post_clean(self):
        """The model is changed by the revision service, not by the form."""


class ItemEditForm(BootstrapMixin, forms.Form):
    number = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Вопрос"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    speakers = forms.CharField(label=_("Докладчики"), required=False)
    heard = forms.CharField(label=_("Слушали"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    spoke = forms.CharField(label=_("Выступили"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionFieldsMixin:
    """Shared by the review of an imported protocol and the edit of one decision."""

    resolver: PartyResolver
    meeting_date = None
    context = None  # what the participant lists say (people's positions, the interviewed schools)
    strict = True  # False for a draft: unknown parties and unread deadlines do not stop saving it

    def clean_decision(self, data: dict, where: str) -> dict:
        manual = data.get("due_date")
        text = (data.get("deadline_text") or "").strip()
        if manual:
            base = parse_deadline(text, meeting_date=self.meeting_date) if text else None
            deadline = Deadline(
                text=text or manual.strftime("%d.%m.%Y"), due_dates=(manual,),
                recurrence=base.recurrence if base else "", recurrence_day=base.recurrence_day if base else None,
            )  # fmt: skip
        else:
            deadline = parse_deadline(text, meeting_date=self.meeting_date)
        data["deadline"] = deadline
        parties: list[PartyTarget] = []
        unknown = []
        for addressee in self.resolver.responsible(data.get("responsible_text") or "", self.context):
            (parties.extend(addressee.targets) if addressee.known else unknown.append(addressee.text))
        data["parties"] = parties
        if data.get("tracked") and self.strict:
            if not deadline.readable:
                self.add_error("deadline_text", _("%(where)s: не удалось распознать срок «%(text)s» — укажите дату вручную.")
                               % {"where": where, "text": text})  # fmt: skip
            for part in unknown:
                self.add_error("responsible_text", _(
                    "%(where)s: ответственный «%(name)s» не найден — исправьте написание или добавьте вариант "
                    "названия в справочнике.") % {"where": where, "name": part})  # fmt: skip
            if not parties and not unknown:
                self.add_error("responsible_text", _("%(where)s: укажите ответственных.") % {"where": where})
        return data


class DecisionReviewForm(BootstrapMixin, DecisionFieldsMixin, forms.Form):
    item_number = forms.IntegerField(label=_("Вопрос №"), min_value=1, max_value=INTEGER_MAX)
    number = forms.CharField(label=_("№"), max_length=16)
    text = forms.CharField(label=_("Текст решения"), widget=forms.Textarea(attrs={"rows": 2}))
    tracked = forms.BooleanField(label=_("На контроль"), required=False)
    deadline_text = forms.CharField(label=_("Срок, как записан"), required=False, max_length=300)
    due_date = forms.DateField(label=_("или дата"), required=False, widget=DateInput(), validators=[SANE])
    responsible_text = forms.CharField(label=_("Ответственные"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(
        self, *args, resolver: PartyResolver, meeting_date=None, context=None, strict=True, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.resolver = resolver
        self.meeting_date = meeting_date
        self.context = context
        self.strict = strict

    def clean(self):
        data = super().clean()
        return self.clean_decision(data, f"Решение {data.get('number', '?')}")


class DecisionEditForm(BootstrapMixin, DecisionFieldsMixin, forms.Form):
    text = forms.CharField(label=_("Текст решения"), widget=forms.Textarea(attrs={"rows": 4}))
    tracked = forms.BooleanField(label=_("На контроле"), required=False)
    deadline_text = forms.CharField(label=_("Срок, как записан в протоколе"), required=False, max_length=300)
    due_date = forms.DateField(label=_("или дата"), required=False, widget=DateInput(), validators=[SANE])
    responsible_text = forms.CharField(label=_("Ответственные"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    controller = forms.ModelChoiceField(label=_("Контролёр"), queryset=User.objects.none(), required=False)
    requires_roadmap = forms.BooleanField(
        label=_("Исполнители представляют дорожные карты на утверждение"), required=False
    )
    comment = forms.CharField(
        label=_("Основание изменения"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, decision, resolver: PartyResolver, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = decision.item.meeting
        self.resolver = resolver
        self.meeting_date = meeting.date
        self.fields["controller"].queryset = controller_choices(
            meeting.organizer_municipality, region_id=meeting.region.pk
        )
        if meeting.is_signed:
            self.fields["comment"].required = True

    def clean(self):
        data = super().clean()
        if data.get("tracked") and not data.get("controller"):
            self.add_error("controller", _("Назначьте контролёра."))
        return self.clean_decision(data, _("Решение"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Что сделано"), widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(
        label=_("Файлы (PDF, DOCX, XLSX, ODT, JPG, PNG; до 20 МБ каждый)"), required=False
    )
    executed_on = forms.DateField(
        label=_("Дата фактического исполнения (если не сегодня)"), required=False, widget=DateInput()
    )


class CommentForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Комментарий"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(
        label=_("Файлы (PDF, DOCX, XLSX, ODT, JPG, PNG; до 20 МБ каждый)"), required=False
    )

    def __init__(self, *args, **kwargs):
        # the report form on the same page has "text" and "files" too: its labels must not point here
        kwargs.setdefault("auto_id", "id_comment_%s")
        super().__init__(*args, **kwargs)


class ReviewForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(
        label=_("Комментарий"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExtensionRequestForm(BootstrapMixin, forms.Form):
    proposed_date = forms.DateField(label=_("Новый срок"), widget=DateInput(), validators=[SANE])
    reason = forms.CharField(label=_("Обоснование"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionDecisionForm(BootstrapMixin, forms.Form):
    new_date = forms.DateField(
        label=_("Новый срок (если не тот, что просили)"),
        required=False,
        widget=DateInput(),
        validators=[SANE],
    )
    comment = forms.CharField(
        label=_("Комментарий"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DueDateForm(BootstrapMixin, forms.Form):
    due_date = forms.DateField(label=_("Срок"), widget=DateInput(), validators=[SANE])
    comment = forms.CharField(label=_("Комментарий"), required=False)


class ExecutorForm(BootstrapMixin, forms.Form):
    """The person of the responsible unit who carries the obligation out."""

    executor = forms.ModelChoiceField(
        label=_("Исполнитель (сотрудник)"), queryset=None, empty_label=_("выберите")
    )
    comment = forms.CharField(label=_("Комментарий"), required=False, max_length=5000)

    def __init__(self, *args, obligation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executor"].queryset = obligation.responsible_users().order_by("last_name", "first_name")
        self.fields["executor"].label_from_instance = lambda u: (
            f"{u.full_name or u.username}{f', {u.position}' if u.position else ''}"
        )
