"""Forms of roadmaps: the header, items and indicators edited on the page, uploads, review and progress."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.figures import figure_choices
from core.forms import BootstrapMixin
from meetings.forms import MultipleFileField
from roadmaps.analytics import bound_actuals
from roadmaps.models import ItemStatus, Topic, decimal_text

MAX_PERIODS = 12


def periods_of(text: str) -> list[str]:
    """Period labels typed one per line (or separated by semicolons), blanks dropped."""
    parts = [p.strip() for line in (text or "").splitlines() for p in line.split(";")]
    return [p[:100] for p in parts if p]


class NewRoadmapForm(BootstrapMixin, forms.Form):
    topic = forms.ChoiceField(label=_("Тема"), choices=Topic.choices)
    title = forms.CharField(label=_("Название"), max_length=500)
    period = forms.CharField(
        label=_("Период"), max_length=100, help_text=_("например, «2026/2027 учебный год»")
    )


class HeaderForm(NewRoadmapForm):
    periods = forms.CharField(
        label=_("Периоды отчётности"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("По одному в строке, например «I полугодие 2026/2027», «2026/2027»."),
    )  # fmt: skip

    def clean_periods(self) -> list[str]:
        periods = periods_of(self.cleaned_data["periods"])
        seen = set()
        for period in periods:
            if period.lower() in seen:
                raise forms.ValidationError(_("Период «%(p)s» указан дважды.") % {"p": period})
            seen.add(period.lower())
        if len(periods) > MAX_PERIODS:
            raise forms.ValidationError(_("Не больше %(n)s периодов.") % {"n": MAX_PERIODS})
        return periods


class ItemForm(BootstrapMixin, forms.Form):
    compact = True
    number = forms.CharField(label=_("№"), max_length=16, required=False)
    activity = forms.CharField(
        label=_("Мероприятие"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible = forms.CharField(label=_("Ответственные"), max_length=2000, required=False)
    deadline = forms.CharField(label=_("Срок"), max_length=300)
    expected_result = forms.CharField(label=_("Ожидаемый результат"), max_length=2000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class BaseItemFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen: dict[str, int] = {}
        for position, form in enumerate(self.forms, start=1):
            if not form.has_changed() or self._should_delete_form(form):
                continue
            number = form.cleaned_data.get("number") or ""
            if number and number in seen:
                raise forms.ValidationError(
                    _("Мероприятие в строке %(row)s: номер %(n)s уже есть в строке %(first)s.")
                    % {"row": position, "n": number, "first": seen[number]}
                )
            seen[number] = position

    def items(self) -> list[dict]:
        items, auto = [], 0
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            data = form.cleaned_data
            auto += 1
            items.append({
                "number": data["number"].strip() or str(auto),
                "activity": " ".join(data["activity"].split()),
                "responsible": " ".join(data["responsible"].split()),
                "deadline": " ".join(data["deadline"].split()),
                "expected_result": " ".join(data["expected_result"].split()),
            })  # fmt: skip
        return items


ItemFormSet = forms.formset_factory(ItemForm, formset=BaseItemFormSet, extra=2, can_delete=True, max_num=500)


class IndicatorForm(BootstrapMixin, forms.Form):
    compact = True
    name = forms.CharField(label=_("Показатель"), max_length=500)
    unit = forms.CharField(label=_("Ед. изм."), max_length=30, required=False)
    baseline = forms.DecimalField(label=_("Базовое значение"), required=False, localize=True, max_digits=14,
                                  decimal_places=4)  # fmt: skip
    source = forms.ChoiceField(label=_("Факт заполняется"), required=False, choices=[])

    def __init__(self, *args, periods: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = periods
        self.fields["source"].choices = [("", _("вручную")), *figure_choices()]
        for index, period in enumerate(periods):
            self.fields[f"target_{index}"] = forms.DecimalField(
                label=_("Цель: %(p)s") % {"p": period}, required=False, localize=True, max_digits=14,
                decimal_places=4,
            )  # fmt: skip
            # BootstrapMixin styled the fields before these existed
            self.fields[f"target_{index}"].widget.attrs["class"] = "form-control form-control-sm"

    def target_fields(self):
        return [self[f"target_{index}"] for index in range(len(self.periods))]


class BaseIndicatorFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            key = " ".join(form.cleaned_data["name"].lower().split())
            if key in seen:
                raise forms.ValidationError(
                    _("Показатель «%(n)s» указан дважды.") % {"n": form.cleaned_data["name"]}
                )
            seen.add(key)

    def indicators(self, periods: list[str]) -> list[dict]:
        result = []
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            data = form.cleaned_data
            result.append({
                "name": " ".join(data["name"].split()),
                "unit": data["unit"].strip(),
                "baseline": decimal_text(data["baseline"]),
                "targets": {p: decimal_text(data.get(f"target_{i}")) for i, p in enumerate(periods)},
                **({"source": data["source"]} if data.get("source") else {}),
            })  # fmt: skip
        return result


IndicatorFormSet = forms.formset_factory(
    IndicatorForm, formset=BaseIndicatorFormSet, extra=2, can_delete=True, max_num=200
)


class TemplateUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Заполненный шаблон (XLSX)"))


class FilesForm(BootstrapMixin, forms.Form):
    files = MultipleFileField(label=_("Документы дорожной карты (PDF, DOCX, XLSX; до 20 МБ каждый)"))


class CommentForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label=_("Замечания / комментарий"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class ProgressForm(BootstrapMixin, forms.Form):
    """Actual values and item statuses of one period; fields are made from the roadmap's content."""

    comment = forms.CharField(
        label=_("Комментарий"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, roadmap, period: str, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.roadmap, self.period = roadmap, period
        actuals = existing.actuals if existing else {}
        statuses = existing.item_statuses if existing else {}
        if existing:
            self.fields["comment"].initial = existing.comment
        self.indicator_names, self.item_numbers, self.shown_indicators = [], [], []
        computed = bound_actuals(roadmap, period)
        for index, indicator in enumerate(roadmap.indicators):
            name = f"actual_{index}"
            unit = f", {indicator['unit']}" if indicator.get("unit") else ""
            bound = indicator["name"] in computed
            help_text = _("цель: %(t)s") % {"t": indicator.get("targets", {}).get(period) or "—"}
            if bound:
                help_text += " · " + _("рассчитано по данным портала")
            self.fields[name] = forms.DecimalField(
                label=f"{indicator['name']}{unit}", required=False, localize=True, max_digits=14, decimal_places=4,
                initial=computed[indicator["name"]] if bound else actuals.get(indicator["name"]),
                help_text=help_text, disabled=bound,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "inputmode": "decimal"}),
            )  # fmt: skip
            if not bound:
                self.indicator_names.append((name, indicator["name"]))
            self.shown_indicators.append(name)
        for index, item in enumerate(roadmap.items):
            name = f"item_{index}"
            self.fields[name] = forms.ChoiceField(
                label=f"{item['number']}. {item['activity'][:150]}", choices=ItemStatus.choices,
                initial=statuses.get(item["number"], ItemStatus.PLANNED),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )  # fmt: skip
            self.item_numbers.append((name, item["number"]))

    def indicator_fields(self):
        return [self[name] for name in self.shown_indicators]

    def item_fields(self):
        return [self[name] for name, _ in self.item_numbers]

    def actuals(self) -> dict[str, Decimal | None]:
        return {indicator: self.cleaned_data[name] for name, indicator in self.indicator_names}

    def item_statuses(self) -> dict[str, str]:
        return {number: self.cleaned_data[name] for name, number in self.item_numbers}
