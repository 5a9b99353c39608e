"""No message hard-codes a limit (issue 9, item 8): a number next to a unit (« 60 jours »,
« 48 heures », « 25 % », « 10 h », « 100 km ») in a text shown to people comes from the
constant that enforces it — passed in the template's context, or formatted from the
constant in Python.

The check reads the text of every template (tags, variables, comments and HTML attributes
removed) and every string literal of the product's Python (docstrings, migrations, the
demo app and the e-mail examples of ``previews.py`` aside). What remains must be in
``ALLOWED``, each with its reason: numbers that are no limit of Immersio.
"""

import ast
import re
from pathlib import Path

import pytest

from tests.source_text import docstring_ids

ROOT = Path(__file__).resolve().parents[2] / "immersio"
TEMPLATES = ROOT / "templates"

# A number, then a unit of time or a percentage (« 30 jours », « 48 h », « 25 % »).
LIMIT = re.compile(
    r"(?<![\w.,-])\d+(?:[,.]\d+)?(?:\s|&nbsp;)*"
    r"(?:jours?|heures?|mois|semaines?|minutes?|h|km|%)(?![\w-])"
)

#: (path under immersio/, the text found) → why it is no limit of Immersio.
ALLOWED = {
    # Values of a vocabulary: the durations a candidate picks (codes are stored).
    ("contacts/models.py", "1 jour"): "label of Duration.ONE_DAY",
    ("contacts/models.py", "3 jours"): "label of Duration.TWO_THREE_DAYS",
    ("contacts/models.py", "1 semaine"): "label of Duration.ONE_WEEK",
    ("contacts/models.py", "2 semaines"): "label of Duration.TWO_WEEKS",
    ("contacts/models.py", "3 semaines"): "label of Duration.THREE_WEEKS",
    ("contacts/models.py", "1 mois"): "label of Duration.ONE_MONTH",
    # Admin labels of the fields recording each reminder, named after them.
    ("agencies/models.py", "3 mois"): "verbose_name of Agency.reminder_3_months_at",
    ("agencies/models.py", "1 mois"): "verbose_name of Agency.reminder_1_month_at",
    # The contract types of an assessment (the public platform's vocabulary).
    ("assessments/rules.py", "6 mois"): "labels of ContractType.CDD_LONG and CDD_SHORT",
    # Times of day in examples of what to write.
    ("contacts/forms.py", "9 h"): "example of dates, « de 9 h à 17 h »",
    ("contacts/forms.py", "17 h"): "example of dates, « de 9 h à 17 h »",
    ("structures/forms.py", "14 h"): "example of instructions, « entre 14 h et 17 h »",
    ("structures/forms.py", "17 h"): "example of instructions, « entre 14 h et 17 h »",
    # The admin's help of a cached figure; the window is contacts.rules.ANSWER_RATE_MONTHS,
    # which structures (a lower app) cannot import.
    ("structures/models.py", "12 mois"): "help_text of HostStructure.answer_rate (admin)",
    # Obligations the law puts on people, told on the guides; Immersio enforces none.
    ("templates/core/prescriber.html", "48 heures"): "declaring a work accident",
    ("templates/core/host.html", "24 heures"): "telling the prescriber of an accident",
    ("templates/conventions/pdf/convention.html", "24 heures"): "host: accident to the structure",
    ("templates/conventions/pdf/convention.html", "48 heures"): "prescriber: accident to the CPAM",
    (
        "templates/conventions/email/convention_validated.html",
        "24 heures",
    ): "host: accident to the structure (D5135-5)",
    (
        "templates/conventions/email/convention_validated.txt",
        "24 heures",
    ): "host: accident to the structure (D5135-5)",
}


def _template_text(source: str) -> str:
    """The words of a template a person may read: no comments, tags, variables or HTML
    attributes (``h-100``, ``width="100%"``)."""
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{#.*?#}", " ", source, flags=re.S)
    source = re.sub(r"{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    source = re.sub(r"<style.*?</style>", " ", source, flags=re.S)
    return re.sub(r"<[^>]*>", " ", source, flags=re.S)


def _python_texts(source: str) -> list[str]:
    tree = ast.parse(source)
    docstrings = docstring_ids(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _python_files() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts
        and path.relative_to(ROOT).parts[0] != "demo"
        and path.name != "previews.py"
    ]


def hardcoded_limits() -> set[tuple[str, str]]:
    found = set()
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix in {".html", ".txt"}:
            text = _template_text(path.read_text())
            found |= {(str(path.relative_to(ROOT)), m) for m in _matches(text)}
    for path in _python_files():
        for text in _python_texts(path.read_text()):
            found |= {(str(path.relative_to(ROOT)), m) for m in _matches(text)}
    return found


def _matches(text: str) -> list[str]:
    return [re.sub(r"(?:\s|&nbsp;)+", " ", m.group()) for m in LIMIT.finditer(text)]


def test_no_message_hard_codes_a_limit():
    found = hardcoded_limits() - ALLOWED.keys()
    assert not found, (
        "Numbers next to a unit in texts shown to people: take each from the constant that "
        "enforces it (a context variable, or an f-string in Python), or add it to ALLOWED "
        f"with the reason: {sorted(found)}"
    )


def test_every_allowed_text_is_still_there():
    """An entry of ALLOWED that matches nothing any more goes."""
    assert not ALLOWED.keys() - hardcoded_limits()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Votre demande sera visible pendant 60 jours.", ["60 jours"]),
        ("Il est valable 48 heures", ["48 heures"]),
        ("au plus 25 % de la durée", ["25 %"]),
        ("entre 22 h et 6 h", ["22 h", "6 h"]),
        ("au plus 4,5 h", ["4,5 h"]),
        ("le 1er janvier, 3 demandes, h-100", []),
    ],
)
def test_the_pattern(text, expected):
    assert _matches(text) == expected


def test_templates_lose_their_markup_not_their_words():
    source = '{# 30 jours #}<p class="h-100" width="100%">Pendant {{ days }} jours, 2 h</p>'
    assert _matches(_template_text(source)) == ["2 h"]
