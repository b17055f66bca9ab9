"""Form mixins every app's forms share: Bootstrap classes on widgets, compact filter bars."""

from django import forms


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
