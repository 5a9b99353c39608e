"""One e-mail address field for the forms people fill in: the same French message for a
malformed address, the same input everywhere."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from immersio.core.fields import EmailAddressField

MALFORMED = "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."


class OwnAddress(forms.Form):
    email = EmailAddressField(label="Adresse", error_messages={"required": "Indiquez-la."})


class SomeoneElses(forms.Form):
    email = EmailAddressField(label="Adresse de la personne", autocomplete="off")


def test_a_malformed_address_is_explained_in_french_whatever_the_form_adds():
    field = OwnAddress.base_fields["email"]
    with pytest.raises(ValidationError) as error:
        field.clean("ada@")
    assert error.value.messages == [MALFORMED]
    with pytest.raises(ValidationError) as error:
        field.clean("")
    assert error.value.messages == ["Indiquez-la."]
    assert field.clean(" ada@exemple.fr ") == "ada@exemple.fr"


@pytest.mark.parametrize(("form", "autocomplete"), [(OwnAddress, "email"), (SomeoneElses, "off")])
def test_the_input_is_an_email_input_without_spell_checking(form, autocomplete):
    html = str(form()["email"])
    assert 'type="email"' in html
    assert 'maxlength="254"' in html
    assert 'spellcheck="false"' in html
    assert f'autocomplete="{autocomplete}"' in html
