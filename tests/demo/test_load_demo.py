import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_is_a_dry_run_without_wet_run(referentials):
    call_command("load_demo", verbosity=0)
    assert get_user_model().objects.count() == 0


def test_demo_loads_once_and_twice_changes_nothing(referentials):
    call_command("load_demo", "--wet-run", verbosity=0)
    users = sorted(get_user_model().objects.values_list("email", "is_staff"))
    assert ("equipe@immersio.example", True) in users
    call_command("load_demo", "--wet-run", verbosity=0)
    assert sorted(get_user_model().objects.values_list("email", "is_staff")) == users
    assert not any(u.has_usable_password() for u in get_user_model().objects.all())


def test_every_demo_module_is_loaded():
    import importlib
    import pkgutil

    import immersio.demo
    from immersio.demo.management.commands.load_demo import MODULES

    with_load = set()
    for info in pkgutil.iter_modules(immersio.demo.__path__):
        module = importlib.import_module(f"immersio.demo.{info.name}")
        if callable(getattr(module, "load", None)):
            with_load.add(module.__name__)
    assert with_load == {module.__name__ for module in MODULES}
