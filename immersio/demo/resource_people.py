"""Demo: six people who changed careers towards the ecological and solidarity transition,
published as resource people, and the demo candidate's requests to two of them (one
waiting for an answer, one accepted with slots to choose from).

Idempotent: a profile is found by its person's address, a request by its profile and
candidate; a second run changes nothing (slots in the past are moved to the coming days)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from immersio.accounts.models import User
from immersio.referentials.models import Appellation, Commune
from immersio.resource_people import rules
from immersio.resource_people.models import (
    Conversation,
    ConversationStatus,
    Mode,
    ProfileStatus,
    ProposedSlot,
    ResourceProfile,
)
from immersio.structures.models import Cause

ORDER = 45  # after the accounts (the demo candidate) and the referentials

CANDIDATE = "camille.martin@immersio.example"

# (e-mail, first name, last name, before, after, appellation, commune INSEE, causes, modes,
#  quota, path, helped, presentation)
PROFILES = [
    (
        "helene.roux@immersio.example",
        "Hélène",
        "Roux",
        "Comptable dans une PME",
        "Maraîchère bio",
        16384,
        "69123",
        ["alimentation", "agriculture-paysanne"],
        [Mode.VIDEO, Mode.PHONE, Mode.IN_PERSON],
        3,
        "Quinze ans de comptabilité dans une PME de la banlieue lyonnaise. Les jardins "
        "partagés le week-end, puis l'envie d'y passer mes semaines. Une immersion de deux "
        "semaines dans une ferme de l'Ouest lyonnais, un BPREA en un an, puis deux saisons "
        "comme salariée avant de m'associer dans une ferme collective.",
        "L'immersion, surtout : j'ai vu une journée de juillet à 5 h du matin et j'ai su que "
        "je tiendrais. Et les maraîchers qui ont pris le temps de répondre à mes questions.",
        "J'aime parler des débuts : les doutes, l'argent, le corps.",
    ),
    (
        "karim.benslimane@immersio.example",
        "Karim",
        "Benslimane",
        "Commercial en matériel de bureau",
        "Animateur vélo-école et mécanicien vélo",
        16548,
        "69266",
        ["mobilites", "economie-circulaire"],
        [Mode.PHONE, Mode.IN_PERSON],
        2,
        "Dix ans sur la route à vendre des photocopieurs. Le vélo est venu pour aller au "
        "travail, puis l'atelier associatif du quartier le samedi. Une formation de "
        "mécanicien cycles, et aujourd'hui j'anime une vélo-école pour adultes.",
        "L'atelier participatif, où j'ai appris en réparant avec d'autres ; une conseillère "
        "France Travail qui m'a parlé de l'immersion.",
        "Apprendre à des adultes à faire du vélo, c'est le plus beau métier du monde.",
    ),
    (
        "sophie.lemaire@immersio.example",
        "Sophie",
        "Lemaire",
        "Ingénieure en informatique",
        "Responsable de ressourcerie",
        38508,
        "44109",
        ["economie-circulaire", "solidarite-lien-social"],
        [Mode.VIDEO],
        2,
        "Douze ans de développement logiciel. Un burn-out, puis du bénévolat dans une "
        "ressourcerie nantaise pour me remettre en mouvement. J'y ai trouvé un sens que je "
        "ne cherchais plus. Après une formation courte en gestion de structure de l'ESS, "
        "j'en suis devenue responsable.",
        "Le bénévolat, qui permet d'essayer sans rien promettre ; le réseau des "
        "ressourceries, très accueillant.",
        "",
    ),
    (
        "thomas.girard@immersio.example",
        "Thomas",
        "Girard",
        "Professeur de mathématiques",
        "Animateur nature et environnement",
        11059,
        "38185",
        ["biodiversite-nature", "education-populaire"],
        [Mode.VIDEO, Mode.PHONE],
        1,
        "Vingt ans au collège. Les sorties nature avec mes classes étaient mes meilleurs "
        "moments. Un BPJEPS éducation à l'environnement, et je fais découvrir la montagne "
        "aux enfants des écoles grenobloises.",
        "Une immersion d'une semaine dans une association d'éducation à l'environnement, "
        "pendant les vacances scolaires.",
        "Quitter l'Éducation nationale, c'est possible : parlons-en.",
    ),
    (
        "aicha.diallo@immersio.example",
        "Aïcha",
        "Diallo",
        "Assistante de direction",
        "Chargée de développement d'un tiers-lieu",
        11793,
        "59350",
        ["tiers-lieux", "solidarite-lien-social"],
        [Mode.VIDEO, Mode.IN_PERSON],
        2,
        "Assistante de direction dans un grand groupe, j'organisais déjà tout. Une friche "
        "de mon quartier devenait un tiers-lieu : j'y ai donné des coups de main, puis on "
        "m'a proposé d'en coordonner les activités.",
        "Les rencontres : les gens du tiers-lieu, le réseau régional des tiers-lieux.",
        "",
    ),
    (
        "marc.petit@immersio.example",
        "Marc",
        "Petit",
        "Cadre dans une banque",
        "Menuisier-ébéniste en réemploi",
        16629,
        "31555",
        ["economie-circulaire", "habitat"],
        [Mode.PHONE],
        2,
        "Cadre bancaire à Toulouse, je bricolais le soir. Un CAP menuisier en reconversion "
        "à 42 ans, et je fabrique aujourd'hui des meubles à partir de bois de récupération.",
        "Deux immersions dans des ateliers très différents, pour choisir le mien.",
        "",
    ),
]


def _person(email: str, first_name: str, last_name: str) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _profile(row) -> ResourceProfile | None:
    (email, first, last, before, after, code, insee, causes, modes, quota, path, helped, pres) = row
    appellation = Appellation.objects.filter(pk=code).first()
    commune = Commune.objects.filter(pk=insee).first()
    if appellation is None or commune is None:  # reference data not imported
        return None
    now = timezone.now()
    profile, _ = ResourceProfile.objects.get_or_create(
        person=_person(email, first, last),
        defaults={
            "before_title": before,
            "after_title": after,
            "after_appellation": appellation,
            "path": path,
            "helped": helped,
            "presentation": pres,
            "commune": commune,
            "department": commune.department,
            "region": commune.region,
            "modes": list(modes),
            "monthly_quota": quota,
            "status": ProfileStatus.PUBLISHED,
            "submitted_at": now - timedelta(days=20),
            "reviewed_at": now - timedelta(days=18),
            "published_at": now - timedelta(days=18),
        },
    )
    profile.causes.set(Cause.objects.filter(slug__in=causes))
    return profile


REQUEST = {
    "about_me": (
        "J'ai été cuisinière pendant huit ans et je cherche un métier plus proche de la terre. "
        "J'habite à Lyon et je suis accompagnée par France Travail."
    ),
    "why_you": "Vous êtes passée d'un bureau aux champs, et vous parlez des débuts sans fard.",
    "to_understand": (
        "Comment se passent les premières saisons ? Une immersion en maraîchage, combien de "
        "temps pour que ce soit utile ?"
    ),
}


def _request(profile: ResourceProfile, candidate: User, *, days_ago: int) -> Conversation:
    asked_at = timezone.now() - timedelta(days=days_ago)
    conversation = (
        Conversation.objects.filter(profile=profile, candidate=candidate).order_by("pk").first()
    )
    if conversation is None:
        conversation = Conversation.objects.create(
            profile=profile,
            candidate=candidate,
            mode=profile.modes[0],
            month=rules.month_start(timezone.localdate(asked_at)),
            asked_at=asked_at,
            **REQUEST,
        )
    return conversation


def _accepted(conversation: Conversation) -> None:
    """Slots in the coming days (moved forward when a later run finds them past)."""
    if conversation.status not in (ConversationStatus.ASKED, ConversationStatus.ACCEPTED):
        return
    start = (timezone.localtime() + timedelta(days=3)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    if not conversation.slots.filter(starts_at__gt=timezone.now()).exists():
        conversation.slots.all().delete()
        ProposedSlot.objects.bulk_create(
            ProposedSlot(conversation=conversation, starts_at=start + timedelta(days=days))
            for days in (0, 2)
        )
    conversation.status = ConversationStatus.ACCEPTED
    conversation.answered_at = conversation.answered_at or timezone.now()
    conversation.contact_detail = conversation.contact_detail or "Au 06 00 00 00 00 (démo)"
    conversation.save()


@transaction.atomic
def load() -> str:
    profiles = [profile for row in PROFILES if (profile := _profile(row)) is not None]
    candidate = User.objects.filter(email=CANDIDATE).first()
    requests = 0
    if candidate is not None and len(profiles) >= 2:
        _request(profiles[0], candidate, days_ago=1)
        _accepted(_request(profiles[1], candidate, days_ago=3))
        requests = 2
    return f"{len(profiles)} personne(s) ressource(s), {requests} demande(s) d'entretien-métier"
