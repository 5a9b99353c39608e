"""The initial causes and networks (staff can add more in the admin)."""

CAUSES = [
    ("alimentation", "Alimentation"),
    ("agriculture-paysanne", "Agriculture paysanne"),
    ("biodiversite-nature", "Biodiversité et nature"),
    ("climat-energie", "Climat et énergie"),
    ("economie-circulaire", "Économie circulaire et réemploi"),
    ("mobilites", "Mobilités"),
    ("habitat", "Habitat"),
    ("tiers-lieux", "Tiers-lieux"),
    ("solidarite-lien-social", "Solidarité et lien social"),
    ("inclusion-handicap", "Inclusion et handicap"),
    ("intergenerationnel", "Intergénérationnel"),
    ("education-populaire", "Éducation populaire"),
    ("culture", "Culture"),
    ("sante", "Santé"),
    ("numerique-responsable", "Numérique responsable"),
    ("eau", "Eau"),
    ("egalite", "Égalité femmes-hommes et lutte contre les discriminations"),
]

NETWORKS = [
    (
        "cress",
        "CRESS (chambres régionales de l'économie sociale et solidaire)",
        "https://www.cress-france.org",
    ),
    ("fne", "France Nature Environnement", "https://fne.asso.fr"),
    ("graine", "Réseau GRAINE (éducation à l'environnement)", ""),
    (
        "frene",
        "FRENE (réseau français d'éducation à la nature et à l'environnement)",
        "https://frene.org",
    ),
    ("france-tiers-lieux", "France Tiers-Lieux", "https://francetierslieux.fr"),
    ("reseau-tee", "Réseau TEE (transition écologique et emploi)", ""),
    ("ambition-ess", "Ambition ESS", ""),
    ("relief", "Relief", ""),
    ("apogees", "Apogées", ""),
    ("jobs-that-make-sense", "Jobs that make sense", "https://jobs.makesense.org"),
    ("autre", "Autre réseau", ""),
]
