"""The in-memory indexes: built once, no query on the hot path, rebuilt when data changes."""

import pytest

from immersio.referentials import search
from immersio.referentials.models import Appellation, ReferentialsVersion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]


def test_no_query_once_built(django_assert_num_queries):
    search.search_appellations("boul")
    search.search_communes("lyon")
    with django_assert_num_queries(0):
        search.search_appellations("conduc engin")
        search.search_communes("st etienne")


def test_an_import_in_this_process_rebuilds_at_once(fresh_search_indexes):
    assert search.search_appellations("mitron") == []
    Appellation.objects.create(
        code=99999999, rome_id="D1102", label="Mitron", short_label="Mitron", search_text="mitron"
    )
    search.invalidate()  # what import_referentials does after a change
    assert search.search_appellations("mitron")[0].code == 99999999


def test_an_import_elsewhere_is_seen_within_the_check_interval(
    fresh_search_indexes, monkeypatch, django_assert_num_queries
):
    clock = [1000.0]
    monkeypatch.setattr(search.time, "monotonic", lambda: clock[0])
    search.search_appellations("boul")
    # Another process imports: new rows and a new version token, no invalidate() here.
    Appellation.objects.create(
        code=99999998,
        rome_id="D1102",
        label="Zyxomancien",
        short_label="Zyxomancien",
        search_text="zyxomancien",
    )
    ReferentialsVersion.objects.update(token="un-autre-jeton")
    clock[0] += search.VERSION_CHECK_INTERVAL - 1
    with django_assert_num_queries(0):
        assert search.search_appellations("zyxomancien") == []  # not checked yet
    clock[0] += 2
    assert search.search_appellations("zyxomancien")[0].label == "Zyxomancien"


def test_an_unchanged_token_does_not_rebuild(monkeypatch):
    clock = [5000.0]
    monkeypatch.setattr(search.time, "monotonic", lambda: clock[0])
    index = search.appellation_index.get()
    clock[0] += search.VERSION_CHECK_INTERVAL + 1
    assert search.appellation_index.get() is index
