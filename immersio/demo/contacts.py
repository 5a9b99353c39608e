"""Demonstration immersion requests and board posts, so that every demo account has a
story: the demo candidate's requests in several states (new, awaiting, question,
accepted with dates, declined), the requests the demo structure admin answers, public
posts on the board with a proposal and its thread.

Idempotent: requests are found by structure, métier and e-mail, posts by author,
commune and métier; nothing is rewritten once there (a post past its 60 days is
published again).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from immersio.contacts.models import (
    BOARD_DAYS,
    BoardPost,
    BoardProposal,
    BoardProposalMessage,
    ContactEvent,
    ContactRequest,
    DeclineReason,
    Message,
    Status,
)
from immersio.core.actors import AUTOMATIC
from immersio.demo.structures import demo_siret
from immersio.referentials.models import Appellation, Commune
from immersio.structures.models import HostStructure
from immersio.structures.services import get_or_create_user, record_request_received

ORDER = 40  # after the accounts, the structures and the agencies

CANDIDATE = "camille.martin@immersio.example"

# (structure number, appellation, candidate (e-mail, first, last), status, days ago,
#  message from the structure or "")
REQUESTS = [
    (
        1,
        16384,
        (CANDIDATE, "Camille", "Martin"),
        Status.ACCEPTED,
        6,
        "Avec plaisir ! Rendez-vous à 8 h 30 au portail du jardin, en tenue de travail.",
    ),
    (
        2,
        16384,
        (CANDIDATE, "Camille", "Martin"),
        Status.QUESTION,
        4,
        "Bonjour Camille, avez-vous des chaussures de sécurité ? Nous pouvons en prêter.",
    ),
    (11, 16068, (CANDIDATE, "Camille", "Martin"), Status.AWAITING, 3, ""),
    (16, 16384, (CANDIDATE, "Camille", "Martin"), Status.NEW, 1, ""),
    (
        6,
        16548,
        (CANDIDATE, "Camille", "Martin"),
        Status.DECLINED,
        12,
        "Merci pour votre intérêt : l'atelier est complet jusqu'à l'été. Revenez vers nous !",
    ),
    # The demo structure admin's inbox (structure 1).
    (1, 10853, ("yasmine.haddou@immersio.example", "Yasmine", "Haddou"), Status.NEW, 0, ""),
    (1, 16068, ("marc.lopez@immersio.example", "Marc", "Lopez"), Status.AWAITING, 2, ""),
]

TEXTS = {
    "motivations": (
        "Après dix ans dans la logistique, je veux me reconvertir dans le maraîchage "
        "biologique et vérifier que ce métier me convient avant une formation."
    ),
    "hopes": "Participer aux semis et aux récoltes, voir comment on prépare les paniers.",
    "period": "En semaine, à partir du mois prochain.",
}

# (author (e-mail, first, last), commune INSEE, appellation, motivations, proposal from
#  structure number or None, answer of the author or "")
POSTS = [
    (
        (CANDIDATE, "Camille", "Martin"),
        "69123",
        16384,
        "Ancienne préparatrice de commandes, je cherche à découvrir le maraîchage bio près "
        "de Lyon, une ou deux semaines.",
        2,
        "Merci beaucoup ! Je suis disponible à partir du 10 : ce serait possible ?",
    ),
    (
        ("ines.roche@immersio.example", "Inès", "Roche"),
        "75056",
        11573,
        "Je rêve de devenir boulangère : j'aimerais voir le fournil tôt le matin.",
        None,
        "",
    ),
    (
        ("paul.nguyen@immersio.example", "Paul", "Nguyen"),
        "44109",
        16548,
        "Passionné de vélo, je voudrais découvrir la mécanique en atelier solidaire.",
        None,
        "",
    ),
]


def load() -> str:
    structures = {
        number: HostStructure.objects.filter(siret=demo_siret(number)).first()
        for number in {item[0] for item in REQUESTS} | {p[4] for p in POSTS if p[4]}
    }
    if not all(structures.values()):
        return "structures de démonstration absentes : rien à faire"
    codes = {item[1] for item in REQUESTS} | {post[2] for post in POSTS}
    appellations = Appellation.objects.in_bulk(list(codes))
    communes = Commune.objects.in_bulk([post[1] for post in POSTS])
    if len(communes) < len(POSTS) or len(appellations) < len(codes):
        return "référentiels absents : lancez d'abord « manage.py import_referentials »"
    now = timezone.now()
    created_requests = created_posts = 0
    with transaction.atomic():
        for number, code, person, status, days, message in REQUESTS:
            created_requests += _request(
                structures[number], appellations[code], person, status, days, message, now
            )
        for author, insee, code, motivations, proposer, answer in POSTS:
            created_posts += _post(
                author,
                communes[insee],
                appellations[code],
                motivations,
                structures.get(proposer),
                answer,
                now,
            )
    return f"{created_requests} demande(s) et {created_posts} annonce(s) créée(s)"


def _request(structure, appellation, person, status, days, message, now) -> int:
    email, first, last = person
    if ContactRequest.objects.filter(
        structure=structure, appellation=appellation, email=email
    ).exists():
        return 0
    user, _ = get_or_create_user(email=email, first_name=first, last_name=last)
    sent = now - timedelta(days=days, hours=2)
    answered = sent + timedelta(days=1) if status not in (Status.NEW, Status.AWAITING) else None
    today = timezone.localdate()
    contact_request = ContactRequest.objects.create(
        structure=structure,
        appellation=appellation,
        candidate=user,
        first_name=first,
        last_name=last,
        email=email,
        situation="demandeur_ft",
        has_support=True,
        support_name="France Travail Lyon",
        objective="confirm",
        duration="1s",
        contact_mode="message",
        status=status,
        verified_at=sent,
        sent_at=sent,
        seen_at=sent + timedelta(hours=5) if status != Status.NEW else None,
        first_answer_at=answered,
        answered_at=answered,
        closed_at=answered if status == Status.DECLINED else None,
        decline_reason=DeclineReason.UNAVAILABLE if status == Status.DECLINED else "",
        proposed_start=today + timedelta(days=14) if status == Status.ACCEPTED else None,
        proposed_end=today + timedelta(days=18) if status == Status.ACCEPTED else None,
        proposed_dates="de 8 h 30 à 16 h 30" if status == Status.ACCEPTED else "",
        **TEXTS,
    )
    # Counted in the structure's capacity, as a request sent through the service is.
    record_request_received(structure=structure, kind="contact", at=sent, actor=AUTOMATIC)
    steps = [Status.NEW]
    if status != Status.NEW:
        steps.append(Status.AWAITING)
    if status not in (Status.NEW, Status.AWAITING):
        steps.append(status)
    previous = ""
    for index, step in enumerate(steps):
        ContactEvent.objects.create(
            request=contact_request,
            at=sent + timedelta(hours=5 * index),
            by=user if step == Status.NEW else None,
            from_status=previous,
            to_status=step,
        )
        previous = step
    if message:
        Message.objects.create(
            request=contact_request, side=Message.Side.STRUCTURE, author=None, body=message
        )
    return 1


def _post(author, commune, appellation, motivations, proposer, answer, now) -> int:
    email, first, last = author
    user, _ = get_or_create_user(email=email, first_name=first, last_name=last)
    post = BoardPost.objects.filter(
        candidate=user, commune=commune, appellation=appellation
    ).first()
    created = post is None
    if created:
        post = BoardPost.objects.create(
            candidate=user,
            first_name=first,
            last_initial=last[:1],
            appellation=appellation,
            commune=commune,
            latitude=commune.latitude,
            longitude=commune.longitude,
            period="Dans les deux mois, en semaine.",
            duration="1s",
            motivations=motivations,
            published_at=now,
            expires_at=now + timedelta(days=BOARD_DAYS),
        )
    elif post.expires_at <= now and post.unpublished_at is None and post.hidden_at is None:
        post.published_at, post.expires_at = now, now + timedelta(days=BOARD_DAYS)
        post.save(update_fields=["published_at", "expires_at", "updated_at"])
    if proposer is not None and not post.proposals.filter(structure=proposer).exists():
        admin = proposer.memberships.filter(role="admin").order_by("pk").first()
        proposal = BoardProposal.objects.create(
            post=post,
            structure=proposer,
            author=admin.user if admin else None,
            body="Bonjour, nous pouvons vous accueillir pour une semaine de découverte.",
        )
        if answer:
            BoardProposalMessage.objects.create(
                proposal=proposal, side=Message.Side.CANDIDATE, author=user, body=answer
            )
    return int(created)
