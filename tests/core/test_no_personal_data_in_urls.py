"""No personal data in a URL (issue 11, item 6b): addresses end up in server logs,
browser history and ``Referer`` headers. No URL pattern takes a name, an e-mail address
or a phone number; no form sent with GET has such a field; no link of a template puts one
in its query string. A search by name is posted (``conventions:review_list``)."""

import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2] / "immersio"
PERSONAL = re.compile(
    r"^(e?mail|courriel|phone|telephone|tel|mobile|nom|prenom|name|beneficiaire|conseiller"
    r"|candidat|tuteur|personne)$"
    r"|(^|_)(e?mail|courriel|phone|telephone|nom|prenom|name|birth|naissance)($|_)"
)
GET_FORM = re.compile(r"<form\b(?=[^>]*\bmethod=\"get\")[^>]*>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r"\bname=\"([\w-]+)\"|\bform\.(\w+)\.(?:as_field_group|as_widget|value)")
WHOLE_FORM = re.compile(r"\{\{\s*\w*form\s*\}\}")
QUERY = re.compile(r"[?&](\w+)=")


def _patterns(resolvers, prefix=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.pattern


def _templates():
    return sorted(ROOT.rglob("templates/**/*.html"))


def test_the_rule_knows_a_personal_field_from_another():
    for name in (
        "email",
        "beneficiary_email",
        "phone",
        "nom",
        "prenom",
        "first_name",
        "conseiller",
    ):
        assert PERSONAL.search(name), name
    for name in ("commune", "metier", "type", "rayon", "statut", "debut_du", "page", "jeton"):
        assert not PERSONAL.search(name), name


def test_no_url_pattern_takes_personal_data():
    found = []
    count = 0
    for route, pattern in _patterns(get_resolver().url_patterns):
        count += 1
        names = list(getattr(pattern, "converters", {}) or {})
        names += re.findall(r"\(\?P<(\w+)>", route)
        found += [f"{route}: {name}" for name in names if PERSONAL.search(name)]
    assert count > 50
    assert found == []


def test_no_get_form_has_a_personal_field():
    found = []
    forms = 0
    for path in _templates():
        for block in GET_FORM.findall(path.read_text()):
            forms += 1
            relative = path.relative_to(ROOT)
            assert not WHOLE_FORM.search(block), f"{relative}: list a GET form's fields"
            for attribute, bound in FIELD.findall(block):
                name = attribute or bound
                if PERSONAL.search(name):
                    found.append(f"{relative}: {name}")
    assert forms >= 5  # the search forms are seen
    assert found == []


def test_no_link_puts_personal_data_in_its_query_string():
    found = []
    for path in [*_templates(), *ROOT.rglob("*.py")]:
        text = path.read_text()
        for match in re.finditer(
            r"(href=\"[^\"]*|f\"[^\"]*\?[^\"]*|\{% url [^%]*%\}[^\"\s]*)", text
        ):
            found += [
                f"{path.relative_to(ROOT)}: {name}"
                for name in QUERY.findall(match.group(0))
                if PERSONAL.search(name)
            ]
    assert found == []
