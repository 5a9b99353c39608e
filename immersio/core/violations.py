"""What every rule returns: one ``Violation`` type for conventions, requests and structures.

A violation names the field concerned (a dotted path), a stable English ``code`` that forms
and partners may rely on, a French ``message`` that says what to correct, and a severity
(an error blocks, a warning asks to check)."""

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"


@dataclass(frozen=True)
class Violation:
    field: str
    code: str
    message: str
    severity: Severity = ERROR
