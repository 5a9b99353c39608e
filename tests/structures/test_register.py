"""« Référencer ma structure » through the Django test client, without JavaScript."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from immersio.notifications.models import OutboundEmail
from immersio.structures.models import HostStructure, Registration, StructureMembership
from immersio.structures.sirene import SireneEstablishment
from tests.accounts.factories import UserFactory
from tests.structures.factories import HostStructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]

SIRET = "73282932000074"
START = "/structures/referencer/"


def path(url):
    """A wizard's address without its draft's key (``?brouillon=…``)."""
    return url.split("?")[0]


def the_draft(client) -> dict:
    (draft,) = client.session["structures_registration"].values()
    return draft


def step(name):
    return f"/structures/referencer/{name}/"


IDENTITY = {
    "name": "Les Jardins de la Sauvegarde",
    "brand_name": "",
    "kind": "association",
    "ess_status": "association",
    "is_ess": "on",
    "naf": "01.13Z",
    "headcount": "10-49",
    "website": "https://jardins.example",
    "description": "Jardin d'insertion <script>alert(1)</script>",
}
SITES = {
    "lieux": "1",
    "lieu-0-metiers": "3",
    "lieu-0-label": "Jardin",
    "lieu-0-address": "12 chemin des Serres",
    "lieu-0-commune_texte": "Saint-Genis-Laval",
    "lieu-0-commune": "",
    "lieu-0-metier_0_texte": "Maraîcher",
    "lieu-0-metier_0": "",
    "lieu-0-metier_1_texte": "Jardinier / Jardinière d'espaces verts",
    "lieu-0-metier_1": "16068",
    "immersion_description": "Semis, récolte, paniers.",
}
PRACTICALITIES = {
    "causes": ["alimentation"],
    "welcomes_job_seekers": "on",
    "welcomes_employees": "on",
    "contact_mode": "message",
    "max_requests_per_month": "8",
}
PERSON = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@exemple.fr",
    "phone": "0612345678",
    "job_title": "Coordinatrice",
    "consent": "on",
}


def fill(client, **overrides):
    """Go through the four first steps; return the last response."""
    pages = [
        (START, {"siret": SIRET}),
        (step("identite"), IDENTITY),
        (step("lieux"), SITES),
        (step("accueil"), PRACTICALITIES),
    ]
    response = None
    for url, data in pages:
        response = client.post(url, data | overrides.get(url, {}))
        assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_the_wizard_end_to_end_sends_the_confirmation(client, fake_sirene):
    assert client.get(START).status_code == 200
    response = fill(client)
    assert path(response.url) == step("vous")
    response = client.post(step("vous"), PERSON)
    assert response.url == "/structures/referencer/envoye/"
    page = client.get(response.url).content.decode()
    assert "ada@exemple.fr" in page and "7 jours" in page
    structure = HostStructure.objects.get(siret=SIRET)
    assert structure.status == HostStructure.Status.PENDING
    assert structure.naf_id == "0113Z" and structure.ess_status == "association"
    site = structure.sites.get()
    assert (site.commune_id, site.latitude) == ("69204", site.commune.latitude)
    assert sorted(site.offers.values_list("appellation_id", flat=True)) == [16068, 16384]
    assert list(structure.causes.values_list("slug", flat=True)) == ["alimentation"]
    registration = Registration.objects.get()
    assert (registration.phone, registration.job_title) == ("06 12 34 56 78", "Coordinatrice")
    assert OutboundEmail.objects.get().kind == "structure_registration_confirm"
    assert "structures_registration" not in client.session


def test_confirmation_through_the_real_smtp_server_logs_in_and_publishes(
    client, fake_sirene, mailbox, reindex_spy
):
    fake_sirene.add(SireneEstablishment(siret=SIRET, name="Les Jardins de la Sauvegarde"))
    fill(client)
    client.post(step("vous"), PERSON)
    link = mailbox.last_link()
    assert link.startswith("/structures/referencer/confirmer/?jeton=")
    page = client.get(link)
    assert page.status_code == 200
    assert "Confirmer et publier la structure" in page.content.decode()
    structure = HostStructure.objects.get(siret=SIRET)
    assert structure.status == HostStructure.Status.PENDING  # GET changes nothing
    response = client.post("/structures/referencer/confirmer/", {"jeton": link.split("=", 1)[1]})
    structure.refresh_from_db()
    assert response.url == f"/structures/espace/{structure.public_id}/"
    assert structure.status == HostStructure.Status.PUBLISHED
    user = StructureMembership.objects.get(structure=structure).user
    assert int(client.session["_auth_user_id"]) == user.pk
    assert reindex_spy.ids == {structure.pk}
    dashboard = client.get(response.url).content.decode()
    assert "est publiée sur Immersio" in dashboard
    # The link is single-use.
    again = client.post("/structures/referencer/confirmer/", {"jeton": link.split("=", 1)[1]})
    assert again.status_code == 410
    assert "Ce lien a déjà été utilisé" in again.content.decode()


def test_an_expired_confirmation_link_is_refused(client, fake_sirene):
    fill(client)
    client.post(step("vous"), PERSON)
    link = re.search(
        r"/structures/referencer/confirmer/\?jeton=\S+", OutboundEmail.objects.get().text_body
    )[0]
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.get(link)
    assert response.status_code == 410
    assert "valables 7 jours" in response.content.decode()


def test_staff_accounts_are_not_logged_in_by_a_confirmation_link(client, fake_sirene):
    UserFactory(email="ada@exemple.fr", staff=True)
    fill(client)
    client.post(step("vous"), PERSON)
    registration = Registration.objects.get()
    from immersio.structures import team

    token = team.registration_url(registration).split("jeton=")[1]
    response = client.post("/structures/referencer/confirmer/", {"jeton": token})
    assert response.url.startswith("/compte/connexion/?next=/structures/espace/")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("", "Indiquez le numéro SIRET (14 chiffres)."),
        ("7328293200007", "Le SIRET doit compter 14 chiffres ; vous en avez saisi 13."),
        ("73282932000075", "sa clé de contrôle est fausse"),
        ("7328293200007A", "ne doit contenir que des chiffres"),
    ],
)
def test_siret_errors_are_explained(client, siret, message):
    response = client.post(START, {"siret": siret})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert (
        'aria-invalid="true"' in page
        and 'aria-describedby="id_siret_helptext id_siret_error"' in page
    )
    assert 'id="id_siret_error"' in page
    assert "Le formulaire contient une erreur" in page and 'href="#id_siret"' in page
    if siret:
        assert f'value="{siret}"' in page  # what was typed stays


def test_a_siret_with_spaces_is_accepted(client, fake_sirene):
    response = client.post(START, {"siret": "732 829 320 00074"})
    assert path(response.url) == step("identite")
    assert the_draft(client)["siret"] == SIRET


def test_an_already_registered_siret_offers_to_ask_the_team(client, mailbox):
    admin = UserFactory(email="admin@exemple.fr", first_name="Secret", last_name="Name")
    structure = HostStructureFactory(siret=SIRET, name="Jardins existants", admin=admin)
    page = client.post(START, {"siret": SIRET}).content.decode()
    assert "déjà référencée" in page
    assert "Secret" not in page and "admin@exemple.fr" not in page
    join = f"/structures/referencer/rejoindre/{structure.public_id}/"
    assert join in page
    assert client.get(join).status_code == 200
    response = client.post(
        join, {"name": "Eve Martin", "email": "eve@exemple.fr", "message": "Salut"}
    )
    assert "Demande transmise" in response.content.decode()
    [message] = mailbox.deliver(1)
    assert message.to == ["admin@exemple.fr"]
    # Names typed by someone who has not proved their address never go in a subject, and
    # go in the body only to administrators who proved theirs (this one never logged in).
    assert message.subject == "Demande pour rejoindre l'équipe de Jardins existants"
    assert "eve@exemple.fr" in message.text
    assert "Eve Martin" not in message.text and "Salut" not in message.text


def test_a_closed_structure_does_not_block_its_siret(client, fake_sirene):
    HostStructureFactory(siret=SIRET, closed=True)
    assert path(client.post(START, {"siret": SIRET}).url) == step("identite")


def test_sirene_prefills_identity_and_site(client, fake_sirene):
    fake_sirene.add(
        SireneEstablishment(
            siret=SIRET,
            name="LES JARDINS DE LA SAUVEGARDE",
            address="40 Rue du Marais",
            postal_code="69100",
            insee_code="69266",
            naf_code="0113Z",
            headcount="10-49",
            legal_form="9220",
            is_ess=True,
        )
    )
    client.post(START, {"siret": SIRET})
    page = client.get(step("identite")).content.decode()
    assert "prérempli" in page
    assert 'value="LES JARDINS DE LA SAUVEGARDE"' in page
    assert 'value="01.13Z"' in page
    assert re.search(r'<option value="10-49" selected>', page)
    assert re.search(r'value="association"[^>]*checked|value="association" selected', page)
    client.post(step("identite"), IDENTITY)
    page = client.get(step("lieux")).content.decode()
    assert 'value="40 Rue du Marais"' in page
    assert 'value="Villeurbanne (69)"' in page and 'value="69266"' in page
    assert fake_sirene.calls == [SIRET]


def test_without_sirene_the_person_types_everything(client, fake_sirene):
    client.post(START, {"siret": SIRET})
    page = client.get(step("identite")).content.decode()
    assert "Nous n'avons pas pu lire le répertoire Sirene" in page
    assert 'name="name"' in page and 'value="' not in page.split('name="name"')[1].split(">")[0]


def test_a_closed_establishment_in_sirene_is_refused(client, fake_sirene):
    fake_sirene.add(SireneEstablishment(siret=SIRET, name="X", is_active=False))
    page = client.post(START, {"siret": SIRET}).content.decode()
    assert "cet établissement est fermé" in page


def test_steps_cannot_be_skipped(client, fake_sirene):
    assert path(client.get(step("lieux")).url) == START
    client.post(START, {"siret": SIRET})
    assert path(client.get(step("vous")).url) == step("identite")
    assert client.get(step("inconnue")).status_code == 404


def test_errors_keep_everything_typed(client, fake_sirene):
    client.post(START, {"siret": SIRET})
    typed = IDENTITY | {"name": "", "website": "pas une adresse", "naf": "99.99Z"}
    page = client.post(step("identite"), typed).content.decode()
    assert "Indiquez la raison sociale." in page
    assert "Saisissez une adresse web complète" in page
    assert "Le code NAF 99.99Z n&#x27;existe pas" in page
    assert 'value="pas une adresse"' in page
    assert "Jardin d&#x27;insertion &lt;script&gt;" in page  # escaped, kept
    assert "Le formulaire contient 3 erreurs" in page


def test_sites_errors_name_the_field_and_keep_the_text(client, fake_sirene):
    client.post(START, {"siret": SIRET})
    client.post(step("identite"), IDENTITY)
    typed = SITES | {
        "lieu-0-commune_texte": "Saint-Denis",
        "lieu-0-metier_0_texte": "zzzzqqq",
        "lieu-0-metier_1_texte": "",
        "lieu-0-metier_1": "",
        "lieu-0-address": "",
    }
    page = client.post(step("lieux"), typed).content.decode()
    assert "Plusieurs communes portent ce nom" in page
    assert "Saint-Denis (93)" in page
    assert "Nous ne trouvons pas ce métier" in page
    assert "Indiquez l&#x27;adresse du lieu." in page
    assert 'value="zzzzqqq"' in page
    assert 'href="#id_lieu-0-commune_texte"' in page
    # « Saint-Denis (93) » is understood without JavaScript.
    fixed = SITES | {"lieu-0-commune_texte": "Saint-Denis (93)"}
    assert path(client.post(step("lieux"), fixed).url) == step("accueil")


def test_add_and_remove_sites_and_metier_rows_without_javascript(client, fake_sirene):
    client.post(START, {"siret": SIRET})
    client.post(step("identite"), IDENTITY)
    page = client.post(step("lieux"), SITES | {"action": "ajouter_lieu"}).content.decode()
    assert "Lieu 2" in page and 'value="12 chemin des Serres"' in page
    assert "Le formulaire contient" not in page
    second = {
        "lieux": "2",
        "lieu-1-metiers": "3",
        "lieu-1-address": "1 place Bellecour",
        "lieu-1-commune_texte": "Lyon",
        "lieu-1-metier_0_texte": "Boulanger",
    }
    page = client.post(
        step("lieux"), SITES | second | {"action": "ajouter_metier-1"}
    ).content.decode()
    assert 'name="lieu-1-metier_3_texte"' in page
    page = client.post(
        step("lieux"), SITES | second | {"action": "retirer_lieu-0"}
    ).content.decode()
    assert 'value="1 place Bellecour"' in page and "Lieu 2" not in page
    assert 'name="lieu-0-address"' in page
    response = client.post(step("lieux"), SITES | second)
    assert path(response.url) == step("accueil")


def test_back_keeps_the_data_of_both_steps(client, fake_sirene):
    client.post(START, {"siret": SIRET})
    client.post(step("identite"), IDENTITY)
    half = {"lieu-0-address": "12 chemin des Serres", "lieux": "1", "action": "retour"}
    assert path(client.post(step("lieux"), half).url) == step("identite")
    page = client.get(step("identite")).content.decode()
    assert 'value="Les Jardins de la Sauvegarde"' in page
    page = client.get(step("lieux")).content.decode()
    assert 'value="12 chemin des Serres"' in page


def test_practicalities_rules(client, fake_sirene):
    client.post(START, {"siret": SIRET})
    client.post(step("identite"), IDENTITY | {"headcount": "50-249"})
    client.post(step("lieux"), SITES)
    page = client.get(step("accueil")).content.decode()
    assert 'name="max_requests_per_month" value="12"' in page  # from the headcount
    assert "au plus 2 par semaine" in page
    typed = {"contact_mode": "telephone", "max_requests_per_month": "300"}
    page = client.post(step("accueil"), typed).content.decode()
    assert "Indiquez le numéro que les candidats appelleront." in page
    assert "200 demandes par mois au maximum." in page
    assert "Cochez au moins un public" in page
    typed = PRACTICALITIES | {"contact_mode": "sur_place"}
    page = client.post(step("accueil"), typed).content.decode()
    assert "Dites où et quand les candidats peuvent se présenter." in page


def test_the_person_step_checks_consent_and_phone(client, fake_sirene):
    fill(client)
    page = client.post(step("vous"), PERSON | {"consent": "", "phone": "123"}).content.decode()
    assert "Cochez cette case pour référencer la structure." in page
    assert "Saisissez un numéro de téléphone français" in page
    assert not HostStructure.objects.exists()


def test_a_logged_in_person_finds_their_details(client, fake_sirene):
    user = UserFactory(first_name="Ada", last_name="Byron", email="ada@exemple.fr")
    client.force_login(user)
    fill(client)
    page = client.get(step("vous")).content.decode()
    assert 'value="Byron"' in page and 'value="ada@exemple.fr"' in page


def test_the_honeypot_pretends_success_and_writes_nothing(client, fake_sirene):
    fill(client)
    response = client.post(step("vous"), PERSON | {"telecopie": "http://spam.example"})
    assert response.url == "/structures/referencer/envoye/"
    assert not HostStructure.objects.exists() and not OutboundEmail.objects.exists()


def test_submissions_are_rate_limited_per_ip(client, fake_sirene, settings):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"structure_registration_per_ip": (1, 3600)}
    fill(client)
    assert client.post(step("vous"), PERSON).status_code == 302
    fill(client, **{START: {"siret": "35600000000048"}})
    response = client.post(step("vous"), PERSON)
    assert response.status_code == 429
    assert "Trop de demandes de référencement" in response.content.decode()
    assert HostStructure.objects.count() == 1


def confirm_by_email(client, mailbox):
    link = mailbox.last_link()
    return client.post("/structures/referencer/confirmer/", {"jeton": link.split("=", 1)[1]})


def test_a_siret_the_register_could_not_confirm_waits_for_the_team(
    client, fake_sirene, mailbox, reindex_spy
):
    """Register unreachable (the fake knows nothing): confirmed by e-mail, the structure
    waits « en attente de vérification », out of the search, until staff confirm."""
    fill(client, **{step("identite"): {"name": "N'importe quel nom"}})
    client.post(step("vous"), PERSON)
    sent = client.get("/structures/referencer/envoye/").content.decode()
    assert "en attente de vérification" in sent
    response = confirm_by_email(client, mailbox)
    structure = HostStructure.objects.get(siret=SIRET)
    assert structure.status == HostStructure.Status.UNVERIFIED
    assert structure.published_at is None
    assert fake_sirene.calls == [SIRET, SIRET]  # asked again at the confirmation
    dashboard = client.get(response.url).content.decode()
    assert "sera publiée dès que son SIRET aura été vérifié" in dashboard.replace("&#x27;", "'")
    assert "En attente de vérification." in dashboard
    # Out of the search, and no request can be written to it.
    assert client.get("/api/v1/structures/search?commune=69204&distance_km=30").json()["count"] == 0
    assert "Cette structure n'est pas encore publiée" in client.get(
        f"/demandes/nouvelle/{structure.public_id}/"
    ).content.decode().replace("&#x27;", "'")

    # Staff confirm the SIRET in /gestion/: published, the team is told by e-mail.
    staff = UserFactory(superuser=True)
    client.force_login(staff)
    client.post(
        "/gestion/structures/hoststructure/",
        {"action": "confirm_siret", "_selected_action": [structure.pk]},
    )
    structure.refresh_from_db()
    assert structure.status == HostStructure.Status.PUBLISHED
    assert structure.siret_checked_by == HostStructure.SiretCheck.STAFF
    published = mailbox.deliver(2)[1]
    assert published.to == [PERSON["email"]]
    assert "est maintenant publiée" in published.text


def test_a_siret_the_register_knows_at_confirmation_time_is_published(client, fake_sirene, mailbox):
    fill(client)
    client.post(step("vous"), PERSON)
    fake_sirene.add(SireneEstablishment(siret=SIRET, name="Les Jardins de la Sauvegarde"))
    confirm_by_email(client, mailbox)
    structure = HostStructure.objects.get(siret=SIRET)
    assert structure.status == HostStructure.Status.PUBLISHED
    assert structure.siret_checked_by == HostStructure.SiretCheck.REGISTER


def test_two_tabs_keep_two_drafts_apart(client, fake_sirene):
    """Each tab's draft has its own key (in its links and forms): filling one never
    changes the other, and each page shows its own draft."""
    other_siret = "44306184100047"
    first = re.search(r'name="brouillon" value="([0-9a-f-]{36})"', client.get(START).text)[1]
    second = re.search(r'name="brouillon" value="([0-9a-f-]{36})"', client.get(START).text)[1]
    assert first != second
    client.post(START, {"siret": SIRET, "brouillon": first})
    client.post(START, {"siret": other_siret, "brouillon": second})
    client.post(step("identite"), IDENTITY | {"brouillon": first})
    named = IDENTITY | {"name": "Atelier du second onglet", "brouillon": second}
    client.post(step("identite"), named)

    drafts = client.session["structures_registration"]
    assert drafts[first]["siret"] == SIRET and drafts[second]["siret"] == other_siret
    page = client.get(f"{step('identite')}?brouillon={first}").text
    assert IDENTITY["name"] in page and "Atelier du second onglet" not in page
    page = client.get(f"{step('identite')}?brouillon={second}").text
    assert "Atelier du second onglet" in page and IDENTITY["name"] not in page
    # Sending one registration leaves the other tab's draft as it was.
    client.post(step("lieux"), SITES | {"brouillon": first})
    assert client.session["structures_registration"][second] == drafts[second]
