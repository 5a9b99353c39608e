"""Every sentence of an e-mail is written in its templates: a notification class gives them
data, never French prose built in Python (f-strings, joins, conditional phrases).

The check reads the source of every module that defines a product notification. A string
literal that reads like prose (two words separated by a space, or an accented letter) is
allowed only as a docstring or as the value of a ``subject``, a ``reason`` or a module
constant ``REASON_*`` (one fixed sentence each, declared on the class).
"""

import ast
import inspect
import re
import textwrap

import pytest

from immersio.notifications import previews
from tests.source_text import docstring_ids

PROSE = re.compile(r"[^\W\d_]{2,}\s+[^\W\d_]|[^\x00-\x7f]")
DECLARED = re.compile(r"^(subject|reason|REASON_\w+)$")


def _declared(tree: ast.AST) -> set[int]:
    """The string constants assigned to ``subject``, ``reason`` or ``REASON_*``."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [target.id for target in targets if isinstance(target, ast.Name)]
            if (
                names
                and all(DECLARED.match(name) for name in names)
                and isinstance(node.value, ast.Constant)
            ):
                found.add(id(node.value))
    return found


def prose_in(source: str) -> list[str]:
    """The string literals of ``source`` that read like prose outside the allowed places,
    as « line: text »."""
    tree = ast.parse(source)
    allowed = docstring_ids(tree) | _declared(tree)
    findings = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in allowed
            and PROSE.search(node.value)
        ):
            findings.append(f"{node.lineno}: {node.value!r}")
    return sorted(findings, key=lambda finding: int(finding.split(":")[0]))


def notification_modules() -> list:
    modules = {cls.__module__: inspect.getmodule(cls) for cls in previews.notification_classes()}
    return [modules[name] for name in sorted(modules)]


@pytest.mark.parametrize("module", notification_modules(), ids=lambda module: module.__name__)
def test_notification_modules_build_no_prose(module):
    findings = prose_in(inspect.getsource(module))
    assert findings == [], (
        f"{module.__name__} écrit des phrases en Python : déplacez-les dans les gabarits "
        f"de l'e-mail (la classe ne donne que des données).\n" + "\n".join(findings)
    )


def test_the_check_finds_prose_built_in_python():
    source = textwrap.dedent(
        '''
        """Docstring en français : permise."""

        REASON_X = "Vous recevez cet e-mail parce que."


        class Example:
            subject = "Objet de {{ platform_name }}"
            reason = REASON_X
            title = "Un titre écrit en Python"

            def get_context(self, recipient):
                who = f"{recipient.name} vous invite" if recipient.name else "Vous êtes invité"
                return {"kind": "agency_invitation", "url": f"{self.path}?next=/"}
        '''
    )
    assert [finding.split(":")[0] for finding in prose_in(source)] == ["10", "13", "13"]
