"""Background tasks of the privacy app (django.tasks, run by ``manage.py db_worker``)."""

from django.tasks import task

from immersio.core.actors import TASK

from .purge import apply_retention as apply_retention_service
from .retention import RULES_BY_KEY


@task()
def apply_retention() -> str:
    """Every night: the retention table (``retention.RULES``) applied for real."""
    run = apply_retention_service(wet_run=True, actor=TASK)
    return "\n".join(report_lines(run.report, wet_run=True))


def report_lines(report: list[dict], *, wet_run: bool) -> list[str]:
    """The report in French, one line per rule (for the task's result and the command)."""
    lines = []
    for line in report:
        rule = RULES_BY_KEY.get(line["rule"])
        label = rule.label if rule else line["rule"]
        if not wet_run:
            lines.append(f"{label} : {line['found']} à {line['action']}.")
            continue
        done = rule.action.label if rule else line["action"]
        errors = f", {line['errors']} en erreur" if line["errors"] else ""
        lines.append(f"{label} : {line['found']} trouvé(s), {line['done']} {done}(s){errors}.")
    return lines
