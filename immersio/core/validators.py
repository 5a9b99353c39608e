"""Validators for French identifiers, with messages a person can act on."""

from django.core.exceptions import ValidationError

# La Poste's establishments share the SIREN 356 000 000; their SIRET numbers do not pass
# the Luhn check but the sum of their digits is a multiple of 5 (INSEE rule).
LA_POSTE_SIREN = "356000000"


def luhn_ok(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def normalize_siret(value: str) -> str:
    """Removes the spaces, dots and dashes people type inside a SIRET."""
    return "".join(char for char in str(value or "") if char not in " .-\u00a0\u202f\t")


def siret_error(value: str) -> str | None:
    """The reason a SIRET is invalid, in French, or None when it is valid."""
    siret = normalize_siret(value)
    if not siret:
        return "Indiquez le numéro SIRET (14 chiffres)."
    if not siret.isdigit() or not siret.isascii():
        return "Le SIRET ne doit contenir que des chiffres."
    if len(siret) != 14:
        return f"Le SIRET doit compter 14 chiffres ; vous en avez saisi {len(siret)}."
    if siret.startswith(LA_POSTE_SIREN) and not luhn_ok(siret):
        if sum(int(char) for char in siret) % 5 == 0:
            return None
        return "Ce SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez chaque chiffre."
    if not luhn_ok(siret):
        return "Ce SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez chaque chiffre."
    return None


def validate_siret(value: str) -> None:
    error = siret_error(value)
    if error:
        raise ValidationError(error, code="invalid_siret")
