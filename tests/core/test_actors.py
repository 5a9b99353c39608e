import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from immersio.core.actors import (
    AUTOMATIC,
    COMMAND,
    TASK,
    VISITOR,
    actor_of,
    check_actor,
    require,
    user_of,
)


@pytest.mark.parametrize("bad", [None, AnonymousUser(), "camille", 3])
def test_no_actor_is_refused(bad):
    with pytest.raises(TypeError):
        check_actor(bad)
    with pytest.raises(TypeError):
        require(bad, lambda user: True)


@pytest.mark.django_db
def test_person_is_checked_and_recorded(django_user_model):
    user = django_user_model.objects.create_user(email="a@example.org", password="x")
    require(user, lambda u: u == user)
    with pytest.raises(PermissionDenied):
        require(user, lambda u: False)
    assert user_of(user) == user


@pytest.mark.parametrize("system", [TASK, COMMAND, AUTOMATIC])
def test_system_actor_is_never_a_person(system):
    require(system, lambda user: pytest.fail("never called for the platform"))
    with pytest.raises(PermissionDenied):
        require(system, lambda user: True, system_allowed=False)
    assert user_of(system) is None
    assert not system.is_authenticated
    assert str(system).startswith("Immersio (")


def test_only_the_named_system_actors_pass():
    require(TASK, lambda user: True, system_allowed={TASK, COMMAND})
    with pytest.raises(PermissionDenied):
        require(AUTOMATIC, lambda user: True, system_allowed={TASK, COMMAND})


def test_actor_of_a_request():
    from types import SimpleNamespace

    assert actor_of(SimpleNamespace(user=AnonymousUser())) is VISITOR
    assert actor_of(SimpleNamespace()) is VISITOR
    person = SimpleNamespace(is_authenticated=True)
    assert actor_of(SimpleNamespace(user=person)) is person
