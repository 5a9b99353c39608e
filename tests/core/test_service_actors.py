"""« No service without an actor » (DEVELOPERS.md, Conventions).

Every public function of every ``immersio.<app>.services`` module either changes state —
then it takes a keyword-only, required ``actor: Actor`` and a ``Case`` in
``tests/<app>/service_cases.py`` proves it refuses an unauthorised actor without changing
the database — or changes nothing, and is listed in that file's ``READ_ONLY`` with the
reason (better: it moves to ``selectors.py``). ``CALLER_CHECKS`` (optional) lists the few
building blocks that write on behalf of the service calling them, which checked its actor
(the outbox's ``notify``).
"""

import importlib
import inspect
import pkgutil
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import pytest
from django.apps import apps

import immersio
import tests
from immersio.core.actors import Actor
from tests.core.service_case import Case

#: Services modules skipped while being converted (none: every services module takes an actor).
PENDING_MODULES: frozenset[str] = frozenset()


#: The modules that change state: ``services``, and in an app with a large lifecycle the
#: modules that share its layer (``pyproject.toml``, contract « modules »).
SERVICE_MODULES = ("services", "lifecycle", "documents", "purge")


def services_modules() -> list[str]:
    return sorted(
        f"immersio.{info.name}.{name}"
        for info in pkgutil.iter_modules(immersio.__path__)
        for name in SERVICE_MODULES
        if info.ispkg and (Path(immersio.__path__[0]) / info.name / f"{name}.py").exists()
    )


def cases_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"tests.{info.name}.service_cases")
        for info in pkgutil.iter_modules(tests.__path__)
        if info.ispkg and (Path(tests.__path__[0]) / info.name / "service_cases.py").exists()
    ]


CASES_MODULES = cases_modules()
CASES: list[Case] = [case for module in CASES_MODULES for case in module.CASES]
READ_ONLY: dict[str, str] = {
    name: reason for module in CASES_MODULES for name, reason in module.READ_ONLY.items()
}
CALLER_CHECKS: dict[str, str] = {
    name: reason
    for module in CASES_MODULES
    for name, reason in getattr(module, "CALLER_CHECKS", {}).items()
}


def public_functions(module: ModuleType) -> dict[str, object]:
    """The public functions defined in ``module`` (not imported into it), by dotted path."""
    return {
        f"{module.__name__}.{name}": function
        for name, function in vars(module).items()
        if inspect.isfunction(function)
        and function.__module__ == module.__name__
        and not name.startswith("_")
    }


def uncovered(functions: Iterable[str], *, cases: Iterable[str], exempt: Iterable[str]) -> list:
    """The functions with neither a case nor a reason to have none."""
    known = set(cases) | set(exempt)
    return sorted(name for name in functions if name not in known)


def signature_problem(function) -> str | None:
    """Why ``function`` does not take a keyword-only, required ``actor: Actor``, or None."""
    try:
        signature = inspect.signature(function, eval_str=True)
        resolved = True
    except NameError:  # an annotation only imported for type checkers
        signature = inspect.signature(function)
        resolved = False
    parameter = signature.parameters.get("actor")
    if parameter is None:
        return "no actor parameter"
    if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
        return "actor is not keyword-only"
    if parameter.default is not inspect.Parameter.empty:
        return f"actor has a default ({parameter.default!r})"
    annotation = parameter.annotation
    if annotation is not Actor and not (not resolved and annotation == "Actor"):
        return f"actor is annotated {annotation!r}, not Actor"
    return None


def resolve(name: str):
    module_name, _, attribute = name.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def database_state() -> dict[str, object]:
    """Every row of every table (count and last primary key only for the big ones)."""
    state = {}
    for model in apps.get_models():
        manager = model._base_manager
        count = manager.count()
        if count > 2000:
            state[model._meta.label] = (count, manager.order_by("-pk").values_list("pk").first())
        else:
            state[model._meta.label] = list(manager.order_by("pk").values_list())
    return state


def _pending(name: str) -> bool:
    return any(name.startswith(module + ".") for module in PENDING_MODULES)


@pytest.mark.parametrize("module_name", services_modules())
def test_every_public_service_has_a_case_or_changes_nothing(module_name):
    if module_name in PENDING_MODULES:
        pytest.skip(f"{module_name} is being converted by another stream (PENDING_MODULES)")
    functions = public_functions(importlib.import_module(module_name))
    missing = uncovered(
        functions,
        cases=[case.name for case in CASES],
        exempt=[*READ_ONLY, *CALLER_CHECKS],
    )
    assert not missing, (
        "Public services without a Case in tests/<app>/service_cases.py (or, if they change "
        f"nothing, an entry in READ_ONLY, better a move to selectors.py): {missing}"
    )


def selectors_modules() -> list[str]:
    return sorted(
        f"immersio.{info.name}.selectors"
        for info in pkgutil.iter_modules(immersio.__path__)
        if info.ispkg and (Path(immersio.__path__[0]) / info.name / "selectors.py").exists()
    )


def annotation_problems(functions: dict[str, object]) -> list[str]:
    """The parameters and returns left without a type annotation."""
    problems = []
    for name, function in functions.items():
        signature = inspect.signature(function)
        for parameter in signature.parameters.values():
            if parameter.annotation is inspect.Parameter.empty:
                problems.append(f"{name}({parameter.name})")
        if signature.return_annotation is inspect.Signature.empty:
            problems.append(f"{name} -> ?")
    return problems


@pytest.mark.parametrize("module_name", services_modules() + selectors_modules())
def test_services_and_selectors_are_annotated(module_name):
    if module_name.rpartition(".")[0] + ".services" in PENDING_MODULES:
        pytest.skip(f"{module_name}: its app is being converted (PENDING_MODULES)")
    problems = annotation_problems(public_functions(importlib.import_module(module_name)))
    assert not problems, f"Annotate every parameter and return: {problems}"


def test_listed_names_exist_and_are_listed_once():
    # A service may have several cases (e.g. one per team kind), but it is either checked
    # by cases, or read-only, or checked by its callers: never two of these.
    names = sorted({case.name for case in CASES}) + list(READ_ONLY) + list(CALLER_CHECKS)
    assert len(names) == len(set(names)), "a function is listed in two categories"
    for name in names:
        if _pending(name):
            continue
        module_name = name.rpartition(".")[0]
        assert name in public_functions(importlib.import_module(module_name)), (
            f"{name} is listed but is not a public function of {module_name}"
        )


def test_read_only_entries_say_why():
    for name, reason in {**READ_ONLY, **CALLER_CHECKS}.items():
        assert reason.strip(), f"{name}: say why it needs no actor"


def _case_ids(case: Case) -> str:
    return case.name.removeprefix("immersio.")


def _skip_pending(case: Case) -> None:
    if _pending(case.name):
        pytest.skip(f"{case.name}: its module is in PENDING_MODULES")


@pytest.mark.parametrize("case", CASES, ids=_case_ids)
def test_service_takes_a_required_typed_actor(case):
    _skip_pending(case)
    problem = signature_problem(resolve(case.name))
    assert problem is None, f"{case.name}: {problem}"


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("case", CASES, ids=_case_ids)
def test_service_refuses_no_actor(case):
    _skip_pending(case)
    kwargs, _actor = case.build()
    before = database_state()
    with pytest.raises(TypeError):
        resolve(case.name)(**kwargs, actor=None)
    assert database_state() == before


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("case", CASES, ids=_case_ids)
def test_service_refuses_an_unauthorised_actor_and_changes_nothing(case):
    _skip_pending(case)
    kwargs, actor = case.build()
    before = database_state()
    with pytest.raises(case.raises):
        resolve(case.name)(**kwargs, actor=actor)
    assert database_state() == before, f"{case.name} changed the database before refusing"


# The runner itself can fail ------------------------------------------------------------


def _fake_services() -> ModuleType:
    module = ModuleType("fake.services")
    source = (
        "from immersio.core.actors import Actor\n"
        "def forget(*, thing):\n    return thing\n"
        "def default(*, thing, actor: Actor = None):\n    return thing\n"
        "def positional(actor: Actor, *, thing):\n    return thing\n"
        "def untyped(*, thing, actor):\n    return thing\n"
        "def good(*, thing, actor: Actor):\n    return thing\n"
        "def _private(*, thing):\n    return thing\n"
    )
    exec(compile(source, "fake/services.py", "exec"), module.__dict__)  # noqa: S102
    return module


def test_the_runner_fails_on_a_service_without_actor():
    module = _fake_services()
    functions = public_functions(module)
    assert set(functions) == {
        "fake.services.forget",
        "fake.services.default",
        "fake.services.positional",
        "fake.services.untyped",
        "fake.services.good",
    }
    assert uncovered(functions, cases=["fake.services.good"], exempt=[]) == [
        "fake.services.default",
        "fake.services.forget",
        "fake.services.positional",
        "fake.services.untyped",
    ]
    assert signature_problem(functions["fake.services.forget"]) == "no actor parameter"
    assert signature_problem(functions["fake.services.default"]).startswith("actor has a default")
    assert signature_problem(functions["fake.services.positional"]) == "actor is not keyword-only"
    assert "not Actor" in signature_problem(functions["fake.services.untyped"])
    assert signature_problem(functions["fake.services.good"]) is None


def test_the_runner_fails_on_a_service_without_annotations():
    functions = public_functions(_fake_services())
    assert annotation_problems(functions) == [
        "fake.services.forget(thing)",
        "fake.services.forget -> ?",
        "fake.services.default(thing)",
        "fake.services.default -> ?",
        "fake.services.positional(thing)",
        "fake.services.positional -> ?",
        "fake.services.untyped(thing)",
        "fake.services.untyped(actor)",
        "fake.services.untyped -> ?",
        "fake.services.good(thing)",
        "fake.services.good -> ?",
    ]


def test_functions_imported_into_a_services_module_are_not_its_own():
    module = _fake_services()
    module.imported = inspect.signature  # defined elsewhere
    assert "fake.services.imported" not in public_functions(module)
