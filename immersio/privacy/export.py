"""The ZIP of « Télécharger mes données »: one JSON file per category (``selectors.
CATEGORIES``), a README.txt in French that says what each file holds, and the PDFs of the
person's conventions. Written to a temporary file (spooled to disk past a few megabytes)
and streamed from there."""

import json
import shutil
import tempfile
import zipfile

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from immersio.accounts.models import User

from .selectors import CATEGORIES, assessment_documents, convention_documents, person_data

SPOOL_BYTES = 8 * 1024 * 1024


def file_name(user: User) -> str:
    """The ZIP's name: the platform and the day, no personal data."""
    return f"{settings.PLATFORM_NAME.lower()}-mes-donnees-{timezone.localdate():%Y-%m-%d}.zip"


def build_zip(user: User) -> tempfile.SpooledTemporaryFile:
    """The ZIP of ``user``'s data, rewound, ready to stream."""
    data = person_data(user)
    documents = convention_documents(user)
    output = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (streamed, closed by the response)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        pdfs = [
            _add_file(
                archive,
                f"conventions/{document.version.convention.reference}"
                f"-v{document.version.number}.pdf",
                document.file,
            )
            for document in documents
        ]
        assessment_pdfs = [
            _add_file(
                archive,
                f"bilans/{document.assessment.convention.reference}-v{document.number}.pdf",
                document.file,
            )
            for document in assessment_documents(user)
        ]
        for key, (name, _description) in CATEGORIES.items():
            archive.writestr(
                name,
                json.dumps(data.categories[key], ensure_ascii=False, indent=2) + "\n",
            )
        readme = render_to_string(
            "privacy/export_readme.txt",
            {
                "platform_name": settings.PLATFORM_NAME,
                "help_email": settings.HELP_EMAIL,
                "made_at": timezone.localtime(),
                "files": [
                    {"name": name, "description": description, "count": data.count(key)}
                    for key, (name, description) in CATEGORIES.items()
                ],
                "pdfs": pdfs,
                "assessment_pdfs": assessment_pdfs,
            },
        )
        archive.writestr("README.txt", readme)
    output.seek(0)
    return output


def _add_file(archive: zipfile.ZipFile, name: str, stored) -> str:
    """Copy a stored file into ``archive`` as ``name``, a block at a time; return the name."""
    with stored.open("rb") as source, archive.open(name, "w") as target:
        shutil.copyfileobj(source, target)
    return name
