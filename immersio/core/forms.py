"""How every form of the project looks, in one place.

- ``FormRenderer`` (``settings.FORM_RENDERER``) renders every field with one template,
  ``forms/field.html`` (label, required marker, help text, widget, errors tied to the field
  by ``aria-describedby``/``aria-invalid``; radio and checkbox lists are fieldsets), and a
  form as its fields in order (``forms/form.html``). Templates write ``{{ form.x.as_field_group }}``
  or ``{{ form }}``.
- ``StyledFormMixin`` puts the Bootstrap classes on the widgets (``is-invalid`` on fields with
  errors) and gives ``error_summary()``, the items of the one summary template,
  ``forms/error_summary.html``: ``{% include "forms/error_summary.html" with errors=… %}``.
- ``HoneypotMixin``: a field people never see nor fill; robots often do.
"""

from __future__ import annotations

from django import forms
from django.forms.renderers import TemplatesSetting

from .fields import FormDefaultsMixin


class FormRenderer(TemplatesSetting):
    """Django's renderer reading the project's templates (``TEMPLATES``), so a field and a
    form are drawn by the same templates everywhere. A field's template also gets
    ``mark_required`` (from its form) and ``rule_messages`` (the conventions rules about the
    field, set by the view), so that forms without ``StyledFormMixin`` (the admin's) render
    too."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

    def render(self, template_name, context, request=None):
        field = context.get("field")
        if isinstance(field, forms.BoundField):
            context = {
                "mark_required": getattr(field.form, "mark_required", False),
                "rule_messages": getattr(field, "rule_messages", ()),
                # Required or not depending on another answer (« Si oui, laquelle ? »):
                # neither « (facultatif) » nor « (obligatoire) », the label says when.
                "conditional": getattr(field.field, "conditional", False),
                **context,
            }
        return super().render(template_name, context, request=request)


def _style(widget: forms.Widget) -> None:
    """The Bootstrap class of ``widget``'s kind, unless it has a class of its own."""
    if isinstance(widget, forms.HiddenInput):
        return
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
        # CheckboxSelectMultiple is a RadioSelect; a darker border than
        # Bootstrap's for a 3:1 contrast (WCAG 1.4.11).
        css = "form-check-input border-secondary"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    widget.attrs.setdefault("class", css)


class StyledFormMixin(FormDefaultsMixin):
    """Bootstrap classes by widget type; ``is-invalid`` on fields with errors.

    ``mark_required``: say « (obligatoire) » next to required fields too, not only
    « (facultatif) » next to the others (the request form and the account pages).
    ``summary_labels``: shorter labels for the error summary, by field name.
    """

    mark_required = False
    summary_labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _style(field.widget)

    def __getitem__(self, name):
        # Fields a form adds after ``__init__`` (per objective, per row…) are styled too.
        bound = super().__getitem__(name)
        _style(bound.field.widget)
        return bound

    def full_clean(self):
        for field in self.fields.values():
            _style(field.widget)  # before ``is-invalid`` joins the class
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                css = widget.attrs.get("class", "")
                if "is-invalid" not in css.split():
                    widget.attrs["class"] = f"{css} is-invalid".strip()

    def error_summary(self, prefix: str = "") -> list[dict]:
        """The errors for the summary at the top of the page: anchor, label, message; in
        the page's order (those of the whole form first, then field by field), whichever
        check found them first."""
        if not self.is_bound:
            return []
        items = []
        position = {name: index for index, name in enumerate(self.fields)}
        for name, errors in sorted(self.errors.items(), key=lambda item: position.get(item[0], -1)):
            if name == "__all__" or name not in self.fields:
                items.extend({"anchor": "", "label": "", "message": e} for e in errors)
                continue
            field = self[name]
            label = self.summary_labels.get(name) or str(field.label).replace(" (facultatif)", "")
            for error in errors:
                # Messages that already name their field (« Motivations : … ») keep no label.
                said = str(error).startswith(f"{label} :")
                items.append(
                    {
                        "anchor": field.auto_id,
                        "label": "" if said else prefix + label,
                        "message": error,
                    }
                )
        return items


def error_items(*forms_) -> list[dict]:
    """The errors of several forms for one summary (a form may be None). A formset-like
    object gives its own ``error_summary()``."""
    items = []
    for form in forms_:
        if form is not None:
            items.extend(form.error_summary())
    return items


class HoneypotMixin(forms.Form):
    """A field people never see nor fill; robots often do."""

    telecopie = forms.CharField(
        label="Télécopie (ne rien écrire ici)",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_robot(self) -> bool:
        return bool(self.data.get(self.add_prefix("telecopie"), "").strip())
