"""Every field is drawn by one template and every error summary by one template
(``immersio/core/forms.py``): one place to change how a form looks."""

import re
from pathlib import Path

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.template.loader import render_to_string

from immersio.core.forms import FormRenderer, StyledFormMixin, error_items

TEMPLATES = Path(__file__).resolve().parents[2] / "immersio" / "templates"


# The team pages another change rewrites; they still include the shims.
class SampleForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="Nom", max_length=50, help_text="Comme sur la carte.")
    note = forms.CharField(label="Note", max_length=50, required=False)
    color = forms.ChoiceField(
        label="Couleur", choices=[("r", "Rouge"), ("b", "Bleu")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="J'accepte")


class MarkedForm(SampleForm):
    mark_required = True


def test_the_project_renders_forms_with_its_renderer():
    renderer = get_default_renderer()
    assert isinstance(renderer, FormRenderer)
    assert renderer.field_template_name == "forms/field.html"


def test_a_field_with_an_error_is_tied_to_its_help_and_its_message():
    form = SampleForm({"name": "", "color": ""})
    html = form["name"].as_field_group()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'id="id_name_helptext"' in html and 'id="id_name_error"' in html
    assert 'class="form-control is-invalid"' in html
    assert "(obligatoire)" not in html
    assert "(facultatif)" in form["note"].as_field_group()


def test_radios_are_a_fieldset_the_summary_links_to():
    form = SampleForm({"name": "x"})
    html = form["color"].as_field_group()
    assert re.search(r'<fieldset class="mb-3"\s+id="id_color"', html)
    assert "<legend" in html and 'id="id_color_error"' in html
    summary = render_to_string("forms/error_summary.html", {"errors": form.error_summary()})
    assert 'href="#id_color"' in summary and "Couleur : Ce champ est obligatoire" in summary
    assert "Le formulaire contient 2 erreurs" in summary


def test_required_fields_are_marked_when_the_form_asks():
    form = MarkedForm()
    assert "(obligatoire)" in form["name"].as_field_group()
    assert "(obligatoire)" in form["color"].as_field_group()
    assert "(obligatoire)" not in form["note"].as_field_group()


def test_a_message_that_names_its_field_is_not_labelled_twice():
    form = SampleForm({"color": "r", "agree": "on"})
    form.add_error("name", "Nom : trop court.")
    assert {"anchor": "id_name", "label": "", "message": "Nom : trop court."} in error_items(
        None, form
    )


def test_a_plain_django_form_renders_too():
    class Plain(forms.Form):
        name = forms.CharField(label="Nom")

    html = str(Plain())
    assert '<label class="form-label" for="id_name">' in html


def test_no_page_includes_a_field_template_of_its_own():
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        text = path.read_text()
        assert not re.search(r'include "[^"]*(field|_radios|error_summary)\.html"', text) or (
            'include "forms/error_summary.html"' in text
            and not re.search(r'include "(?!forms/)[^"]*(field|_radios|error_summary)\.html"', text)
        ), name


class LateCheckForm(SampleForm):
    """``clean()`` finds an error on the first field after ``clean_note`` found one on a
    later field: the summary still follows the page."""

    def clean_note(self):
        raise forms.ValidationError("Note illisible.")

    def clean(self):
        data = super().clean()
        self.add_error("name", "Nom déjà pris.")
        self.add_error(None, "Réessayez plus tard.")
        return data


def test_the_summary_follows_the_page_not_the_order_the_checks_ran():
    form = LateCheckForm({"name": "x", "color": "r", "agree": "on", "note": "?"})
    assert [item["message"] for item in form.error_summary()] == [
        "Réessayez plus tard.",
        "Nom déjà pris.",
        "Note illisible.",
    ]


class GrowingForm(SampleForm):
    """Adds fields after ``__init__`` (as the assessment adds one per objective)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"] = forms.ChoiceField(label="Niveau", choices=[("1", "Un")])
        self.fields["other"] = forms.CharField(label="Autre", max_length=5)
        self.fields["pick"] = forms.ChoiceField(
            label="Choix", choices=[("a", "A")], widget=forms.RadioSelect
        )


@pytest.mark.parametrize("data", [None, {"other": "trop long"}], ids=["blank", "with-errors"])
def test_fields_added_after_init_are_styled_like_the_others(data):
    form = GrowingForm(data)
    if data:
        form.is_valid()
    assert 'class="form-select' in form["level"].as_widget()
    assert re.search(r'class="form-control( is-invalid)?"', form["other"].as_widget())
    assert 'class="form-check-input border-secondary' in str(form["pick"])
    if data:
        assert 'class="form-control is-invalid"' in form["other"].as_widget()


class ConditionalForm(SampleForm):
    detail = forms.CharField(label="Si oui, lequel ?", required=False)
    detail.conditional = True


def test_a_field_required_depending_on_another_answer_is_marked_neither_way():
    for form in (ConditionalForm(), type("Marked", (ConditionalForm,), {"mark_required": True})()):
        label = re.search(r"<label[^>]*>(.*?)</label>", form["detail"].as_field_group(), re.S)
        assert "facultatif" not in label.group(1) and "obligatoire" not in label.group(1)
    assert "(facultatif)" in ConditionalForm()["note"].as_field_group()


def test_the_request_form_and_the_event_form_mark_their_conditional_fields():
    from immersio.contacts.forms import ContactRequestForm
    from immersio.events.forms import EventForm

    assert ContactRequestForm.base_fields["support_name"].conditional
    assert EventForm.base_fields["price"].conditional


def _project_forms():
    import importlib
    import inspect
    import pkgutil

    import immersio

    for app in pkgutil.iter_modules(immersio.__path__):
        try:
            module = importlib.import_module(f"immersio.{app.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_no_optional_field_says_facultatif_again_in_its_help():
    """The label already says « (facultatif) »: a help text starting with it says it twice."""
    found = list(_project_forms())
    assert len(found) > 30
    repeated = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in found
        for name, field in getattr(cls, "base_fields", {}).items()
        if not field.required and str(field.help_text).lower().startswith("facultatif")
    ]
    assert repeated == []
