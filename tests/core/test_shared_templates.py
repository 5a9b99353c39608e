"""Pages that show the same thing draw it from one template (issue 9: one way to do each
thing): a fix to the shared layout or include holds on every page that uses it."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "immersio" / "templates"

EXTENDS = [
    ("400.html", "error_page.html"),
    ("403.html", "error_page.html"),
    ("403_csrf.html", "error_page.html"),
    ("404.html", "error_page.html"),
    ("referentials/appellations.html", "referentials/search_page.html"),
    ("referentials/communes.html", "referentials/search_page.html"),
    *(
        (f"core/{page}.html", "core/prose_page.html")
        for page in ("accessibility", "candidate", "host", "legal", "prescriber")
    ),
    ("privacy/privacy.html", "core/prose_page.html"),
    ("core/sitemap.html", "core/prose_page.html"),
    ("core/link_invalid.html", "core/column_page.html"),
    ("accounts/login.html", "core/column_page.html"),
    ("contacts/new.html", "core/column_page.html"),
    ("structures/register/base.html", "core/column_page.html"),
    ("teams/invitation.html", "core/column_page.html"),
    *(
        (f"structures/space/{page}.html", "structures/space/base.html")
        for page in ("dashboard", "edit", "sites", "team")
    ),
]

INCLUDES = [
    ("agencies/directory.html", "directory/includes/map_panel.html"),
    ("directory/search.html", "directory/includes/map_panel.html"),
    *(
        (page, f"directory/includes/map_{part}.html")
        for page in (
            "agencies/directory.html",
            "agencies/detail.html",
            "directory/search.html",
            "directory/structure.html",
        )
        for part in ("head", "scripts")
    ),
    ("contacts/thread.html", "contacts/includes/message.html"),
    ("contacts/board_proposal.html", "contacts/includes/message.html"),
    ("contacts/thread.html", "contacts/includes/message_form.html"),
    ("contacts/board_proposal.html", "contacts/includes/message_form.html"),
    ("contacts/my_requests.html", "contacts/includes/request_list.html"),
    ("contacts/structure_inbox.html", "contacts/includes/request_list.html"),
    ("structures/register/identite.html", "structures/includes/identity_fields.html"),
    ("structures/space/edit.html", "structures/includes/identity_fields.html"),
    ("structures/register/accueil.html", "structures/includes/welcome_fields.html"),
    ("structures/space/edit.html", "structures/includes/welcome_fields.html"),
    ("structures/space/_header.html", "structures/includes/status_badge.html"),
    ("structures/space/list.html", "structures/includes/status_badge.html"),
    *(
        (page, "core/includes/token_form.html")
        for page in (
            "accounts/signup_confirm.html",
            "agencies/confirm.html",
            "contacts/confirm.html",
            "contacts/reopen.html",
            "structures/confirm.html",
            "teams/invitation.html",
        )
    ),
    ("structures/register/base.html", "forms/default_button.html"),
    ("structures/space/sites.html", "forms/default_button.html"),
    ("directory/search.html", "directory/includes/choices_filter.html"),
    ("directory/search.html", "directory/includes/yes_filter.html"),
    ("directory/search.html", "directory/includes/select_filter.html"),
    ("contacts/_suggestions.html", "contacts/includes/nearby_structure.html"),
    ("contacts/confirm.html", "contacts/includes/nearby_structure.html"),
]


@pytest.mark.parametrize(("page", "layout"), EXTENDS)
def test_the_page_extends_the_shared_layout(page, layout):
    text = (TEMPLATES / page).read_text("utf-8")
    assert re.match(rf'{{% extends "{re.escape(layout)}" %}}', text)


@pytest.mark.parametrize(("page", "include"), INCLUDES)
def test_the_page_includes_the_shared_piece(page, include):
    assert f'{{% include "{include}"' in (TEMPLATES / page).read_text("utf-8")


def test_no_page_writes_the_structure_status_badge_again():
    badge = '<span class="badge text-bg-warning">En pause</span>'
    writers = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if badge in path.read_text("utf-8")
    ]
    assert writers == ["structures/includes/status_badge.html"]


# The lead's rewrite of the conventions pages moves them to the layout; the prescriber's
# registration has a narrower top margin on small screens.
COLUMN_NOT_YET = {
    "conventions/invitation.html",
    "conventions/new.html",
    "conventions/steps/base.html",
    "agencies/register.html",
}


def test_no_page_writes_the_centred_column_again():
    column = '<div class="row justify-content-center">'
    writers = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if column in path.read_text("utf-8")
    )
    assert [page for page in writers if page not in COLUMN_NOT_YET] == ["core/column_page.html"]
