"""Schemas shared by the API's routers."""

from ninja import Field, Schema


class ValidationErrorItem(Schema):
    type: str = Field(description="Code de l'erreur.", examples=["control_character"])
    loc: list[str | int] = Field(
        description="Paramètre en cause (et rang de la valeur s’il est répété).",
        examples=[["query", "q"]],
    )
    msg: str = Field(description="Explication, en français.")


class ValidationErrorOut(Schema):
    """Paramètres refusés (réponse 422)."""

    detail: list[ValidationErrorItem]
