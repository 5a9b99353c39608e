"""In-memory search of appellations (métiers) and communes.

One generic structure, :class:`WordPrefixIndex`, serves both. Each document is a list of
normalised words (a label, a commune name) plus optional codes (the ROME code of an
appellation, the postal codes of a commune). A query matches a document when EVERY query
word matches one of its words:

* by prefix (or exactly) — tier 0;
* when tier 0 does not fill the page: with one typing error (substitution, insertion,
  deletion or transposition of two neighbours) on a query word of 5 letters or more —
  tier 1 — or inside a word (``"langer"`` in « boulanger ») — tier 2. Only rare query
  words get these fallbacks: a word that already starts hundreds of words is typed right.

Query words holding a digit are also matched, by prefix, against the codes.

Results are ranked by: the whole normalised text equal to the query, tier, number of
inexact words, positions of the matched words (first word of the label first), then the
document's own rank given at build time (appellations: the hirings of their ROME code,
shorter label, alphabetical; communes: communes before municipal arrondissements, larger
population, alphabetical).

The data is small (11k appellations, 35k communes): each process builds the two indexes
lazily, once, from the database (≈ 0.3 s and 0.7 s, ≈ 8 MB and 28 MB). Rebuilding happens
when this process ran an import (:func:`invalidate`) or, checked at most once a minute,
when the version token written by the import changed (another process imported). Nothing
touches the database otherwise. Figures: docs/performance.md.
"""

from __future__ import annotations

import csv
import functools
import sys
import threading
import time
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .text import SAINT_ABBREVIATIONS, activity_stems, normalize

MAX_QUERY_LENGTH = 100
DEFAULT_LIMIT = 10
MAX_LIMIT = 50
MAX_QUERY_WORDS = 8
VERSION_CHECK_INTERVAL = 60.0  # seconds

# Match qualities of one query word against one document word; the tier groups them.
EXACT, PREFIX, TYPO, INFIX = 0, 1, 2, 3
_TIER = (0, 0, 1, 2)

_DOC_BITS = 20  # a posting is ``position << _DOC_BITS | document``
_DOC_MASK = (1 << _DOC_BITS) - 1
_MAX_POSITION = 255
_CODE_MARK = "\x01"  # codes live in the same vocabulary, behind this mark
_AFTER = "\uffff"  # sorts after every character of a normalised word
_TOP_CACHE_MIN = 1000  # postings above which the best documents of a word are memoised
_TOP_CACHE_MAX_ENTRIES = 4096
_LETTERS_CACHE_MAX_ENTRIES = 20_000
_FALLBACK_MAX_POSTINGS = 300  # typos and infixes only for words rarer than this


class Document(NamedTuple):
    """What the index needs to know about one searchable item."""

    words: Sequence[str]  # normalised, in reading order
    payload: Any  # returned as is by ``search``
    codes: Sequence[str] = ()  # normalised codes, matched by query words with a digit


@dataclass(slots=True)
class _Word:
    """One query word and the vocabulary segments it matches: (first, end, quality)."""

    text: str
    segments: list[tuple[int, int, int]] = field(default_factory=list)
    postings: int = 0
    prefix_postings: int = 0  # of the prefix tier alone
    documents: tuple | None = None  # (documents, scores) for the current segments


class WordPrefixIndex:
    """Word-prefix search over documents given best first (their static rank).

    ``replacements`` rewrites words in documents and queries alike (« st » → « saint »);
    ``stopwords`` are left out of the documents and of the queries, unless a query holds
    nothing else.

    Layout: a sorted vocabulary (prefix = contiguous range, found by bisection) and, per
    word, its postings ``position << 20 | document`` in one flat numpy array. Candidate
    documents of each query word are gathered, scored and intersected with numpy; the
    Python loops only run over query words and vocabulary segments.
    """

    def __init__(
        self,
        documents: Iterable[Document],
        *,
        replacements: dict[str, str] | None = None,
        stopwords: Iterable[str] = (),
        typo_min_length: int = 5,
        infix_min_length: int = 3,
    ):
        self.replacements = dict(replacements or {})
        self.stopwords = frozenset(stopwords)
        self.typo_min_length = typo_min_length
        self.infix_min_length = infix_min_length

        payloads: list[Any] = []
        full_texts: dict[str, Any] = {}
        doc_terms: list[dict[str, int]] = []
        replace, stop, intern = self.replacements.get, self.stopwords, sys.intern
        for doc_id, (words, payload, codes) in enumerate(documents):
            payloads.append(payload)
            words = [intern(replace(word, word)) for word in words]
            full_text = intern(" ".join(words))
            # Mostly one document per text: keep the bare id, a tuple only when shared.
            other = full_texts.get(full_text)
            full_texts[full_text] = (
                doc_id
                if other is None
                else (*(other if type(other) is tuple else (other,)), doc_id)
            )
            terms = {_CODE_MARK + code: 0 for code in codes}
            position = 0
            for word in words:
                if word in stop:
                    continue
                if word not in terms:
                    terms[word] = position if position < _MAX_POSITION else _MAX_POSITION
                position += 1
            doc_terms.append(terms)
        if len(payloads) > _DOC_MASK:
            raise ValueError("Trop de documents pour cet index.")
        self.payloads = payloads
        self.full_texts = full_texts

        self.vocabulary = vocabulary = sorted({term for terms in doc_terms for term in terms})
        token_ids = {term: token_id for token_id, term in enumerate(vocabulary)}
        per_token: list[list[int]] = [[] for _ in vocabulary]
        for doc_id, terms in enumerate(doc_terms):
            for term, position in terms.items():
                per_token[token_ids[term]].append(position << _DOC_BITS | doc_id)
        del doc_terms, token_ids
        self.offsets = offsets = array("q", [0])
        for token_postings in per_token:
            offsets.append(offsets[-1] + len(token_postings))
        self.offsets_array = np.frombuffer(offsets, dtype=np.int64)  # the same memory
        self.postings = np.fromiter(
            chain.from_iterable(per_token), dtype=np.int64, count=offsets[-1]
        )
        del per_token

        # Words proper (not codes) form the end of the sorted vocabulary.
        self.first_word = bisect_left(vocabulary, _CODE_MARK + _AFTER)
        text_vocabulary = vocabulary[self.first_word :]
        # For typos: every word prefix that one edit of a query word may produce.
        self.prefixes = {
            word[:length]
            for word in text_vocabulary
            for length in range(typo_min_length - 1, len(word) + 1)
        }
        # For infixes: the words joined, searched with str.find.
        self.joined = "\n".join(text_vocabulary)
        self.word_starts = starts = array("q")
        start = 0
        for word in text_vocabulary:
            starts.append(start)
            start += len(word) + 1
        # Best documents of frequent single words (« c », « saint »): the only slow case.
        self._top_cache: dict[str, list[int]] = {}
        self._letters_cache: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self.payloads)

    # Queries ------------------------------------------------------------------------

    def query_words(self, query: str) -> tuple[list[str], str]:
        """The words to match and the normalised query (for the whole-text bonus)."""
        words = [self.replacements.get(word, word) for word in normalize(query).split()]
        full_text = " ".join(words)
        kept = [word for word in words if word not in self.stopwords] or words
        unique = list(dict.fromkeys(kept))[:MAX_QUERY_WORDS]
        return unique, full_text

    def has_word(self, word: str) -> bool:
        """Whether ``word`` (normalised) is a whole word of some document."""
        vocabulary = self.vocabulary
        position = bisect_left(vocabulary, word, self.first_word)
        return position < len(vocabulary) and vocabulary[position] == word

    def search(self, query: str, limit: int = DEFAULT_LIMIT, *, fallback: bool = True) -> list[Any]:
        """Documents matching every word of ``query``, best first; ``fallback=False``
        leaves out the typing errors and the infixes."""
        if not isinstance(query, str) or len(query) > MAX_QUERY_LENGTH:
            return []
        limit = max(1, min(int(limit), MAX_LIMIT))
        texts, full_text = self.query_words(query)
        if not texts:
            return []
        words = [self._prefix_word(text) for text in texts]
        whole = self.full_texts.get(full_text, ())
        if type(whole) is int:
            whole = (whole,)
        if len(words) == 1:
            doc_ids = self._single_word(words[0], whole, limit)
        else:
            doc_ids = self._rank(words, whole, limit)
        # Not enough: typos, then infixes, ranked after (in one pass: the rank starts
        # with the tier).
        if fallback and len(doc_ids) < limit:
            added = self._add_typos(words)
            added = self._add_infixes(words) or added
            if added:
                doc_ids = self._rank(words, whole, limit)
        payloads = self.payloads
        return [payloads[doc_id] for doc_id in doc_ids]

    # Matching -----------------------------------------------------------------------

    def _range(self, prefix: str, first: int = 0) -> tuple[int, int]:
        vocabulary = self.vocabulary
        first = bisect_left(vocabulary, prefix, first)
        return first, bisect_left(vocabulary, prefix + _AFTER, first)

    def _add_range(self, word: _Word, first: int, end: int, exact: str) -> None:
        if first == end:
            return
        if self.vocabulary[first] == exact:
            word.segments.append((first, first + 1, EXACT))
            first += 1
        if first < end:
            word.segments.append((first, end, PREFIX))

    def _prefix_word(self, text: str) -> _Word:
        word = _Word(text)
        first, end = self._range(text, self.first_word)
        self._add_range(word, first, end, text)
        if any(char.isdigit() for char in text):
            code = _CODE_MARK + text
            first, end = self._range(code)
            self._add_range(word, first, end, code)
        self._count(word)
        word.prefix_postings = word.postings
        return word

    def _count(self, word: _Word) -> None:
        offsets = self.offsets
        word.postings = sum(offsets[end] - offsets[first] for first, end, _ in word.segments)
        word.documents = None

    def _needs_fallback(self, word: _Word, min_length: int) -> bool:
        """Typos and infixes are tried on rare words only: a word that already starts many
        words of the vocabulary is very likely typed right."""
        text = word.text
        return (
            len(text) >= min_length
            and text.isalpha()
            and word.prefix_postings < _FALLBACK_MAX_POSTINGS
        )

    def _add_typos(self, words: list[_Word]) -> bool:
        added = False
        for word in words:
            if not self._needs_fallback(word, self.typo_min_length):
                continue
            found = self._one_edit_prefixes(word.text)
            for variant in sorted(found):
                word.segments.append((*self._range(variant, self.first_word), TYPO))
            if found:
                added = True
                self._count(word)
        return added

    def _one_edit_prefixes(self, text: str) -> set[str]:
        """Word prefixes one deletion, transposition, substitution or insertion away from
        ``text``. An edit at position i keeps ``text[:i]``, and a substituted or inserted
        letter must continue it into some word: the vocabulary, walked like a trie, says
        which letters are worth trying."""
        prefixes, found = self.prefixes, set()
        for i in range(len(text) + 1):
            head, tail = text[:i], text[i:]
            letters = self._next_letters(head)
            if tail:
                found.add(head + tail[1:])  # deletion
                if len(tail) > 1:
                    found.add(head + tail[1] + tail[0] + tail[2:])  # transposition
                found.update(head + letter + tail[1:] for letter in letters)  # substitution
            found.update(head + letter + tail for letter in letters)  # insertion
            if not letters or tail[:1] not in letters:
                break  # no word starts with text[: i + 1]: no edit further on can match
        found.discard(text)
        return {variant for variant in found if variant in prefixes}

    def _next_letters(self, prefix: str) -> list[str]:
        """The letters that follow ``prefix`` in some word of the vocabulary (memoised:
        the short prefixes come back in every query)."""
        letters = self._letters_cache.get(prefix)
        if letters is None:
            if len(self._letters_cache) >= _LETTERS_CACHE_MAX_ENTRIES:
                self._letters_cache.clear()
            letters = self._letters_cache[prefix] = self._find_next_letters(prefix)
        return letters

    def _find_next_letters(self, prefix: str) -> list[str]:
        vocabulary, size, depth = self.vocabulary, len(self.vocabulary), len(prefix)
        letters = []
        index = bisect_left(vocabulary, prefix, self.first_word)
        while index < size:
            word = vocabulary[index]
            if len(word) <= depth:
                index += 1
                continue
            if not word.startswith(prefix):
                break
            letter = word[depth]
            if letter.isalpha():
                letters.append(letter)
            index = bisect_left(vocabulary, prefix + letter + _AFTER, index)
        return letters

    def _add_infixes(self, words: list[_Word]) -> bool:
        added = False
        joined, starts, first_word = self.joined, self.word_starts, self.first_word
        for word in words:
            text = word.text
            if not self._needs_fallback(word, self.infix_min_length):
                continue
            last = -1
            index = joined.find(text)
            while index != -1:
                position = bisect_right(starts, index) - 1
                # At the start of a word, it is a prefix: already matched.
                if starts[position] != index and position != last:
                    token_id = first_word + position
                    word.segments.append((token_id, token_id + 1, INFIX))
                    last = position
                index = joined.find(text, index + 1)
            if last != -1:
                added = True
                self._count(word)
        return added

    # Ranking ------------------------------------------------------------------------

    def _single_word(self, word: _Word, whole: Sequence[int], limit: int) -> list[int]:
        """One word, prefix tier: documents by (quality, position, static rank), the
        whole-text matches first."""
        if not word.segments:
            return []
        top = self._top_cache.get(word.text)
        if top is None:
            if word.postings >= _TOP_CACHE_MIN:  # frequent word: numpy, then memoised
                top = self._rank([word], (), MAX_LIMIT)
                if len(self._top_cache) >= _TOP_CACHE_MAX_ENTRIES:
                    self._top_cache.clear()
                self._top_cache[word.text] = top
            else:  # few postings: sorting them in Python is quicker than numpy
                top = self._small_word(word)
        result = list(whole[:limit])
        seen = set(result)
        for doc_id in top:
            if len(result) >= limit:
                break
            if doc_id not in seen:
                seen.add(doc_id)
                result.append(doc_id)
        return result

    def _small_word(self, word: _Word) -> Iterable[int]:
        """Documents of a word with few postings, best first (may repeat a document)."""
        postings, offsets = self.postings, self.offsets
        exact: list[int] = []
        prefix: list[int] = []
        for first, end, quality in word.segments:
            keys = postings[offsets[first] : offsets[end]].tolist()  # position << 20 | doc
            (exact if quality == EXACT else prefix).extend(keys)
        exact.sort()
        prefix.sort()
        return (key & _DOC_MASK for key in chain(exact, prefix))

    def _documents(self, word: _Word) -> tuple[np.ndarray, np.ndarray]:
        """Documents matching the word (sorted) and their best ``quality << 8 | position``."""
        if word.documents is not None:
            return word.documents
        postings, offsets = self.postings, self.offsets
        segments = word.segments
        if len(segments) <= 8:
            parts = []
            for first, end, quality in segments:
                keys = postings[offsets[first] : offsets[end]]
                # document << 10 | quality << 8 | position: sorted, each document's best first
                parts.append((keys & _DOC_MASK) << 10 | (keys >> _DOC_BITS) | quality << 8)
            combined = parts[0] if len(parts) == 1 else np.concatenate(parts)
        else:  # many segments (typos, infixes): gather them in one go
            bounds = np.array(segments, dtype=np.int64)
            starts = self.offsets_array[bounds[:, 0]]
            lengths = self.offsets_array[bounds[:, 1]] - starts
            total = int(lengths.sum())
            shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
            keys = postings[np.arange(total, dtype=np.int64) + shift]
            qualities = np.repeat(bounds[:, 2], lengths)
            combined = (keys & _DOC_MASK) << 10 | (keys >> _DOC_BITS) | qualities << 8
        combined.sort()
        documents = combined >> 10
        first_of_each = np.empty(len(documents), dtype=bool)
        first_of_each[:1] = True
        np.not_equal(documents[1:], documents[:-1], out=first_of_each[1:])
        word.documents = documents[first_of_each], combined[first_of_each] & 0x3FF
        return word.documents

    def _rank(self, words: list[_Word], whole: Sequence[int], limit: int) -> list[int]:
        """Documents matching every word, best first: (whole text, worst tier, sum of
        qualities, sum of positions, static rank)."""
        if not all(word.segments for word in words):
            return []
        words = sorted(words, key=lambda word: word.postings)
        documents, scores = self._documents(words[0])
        qualities = scores >> 8
        tiers = _TIERS[qualities]
        positions = scores & 0xFF
        for word in words[1:]:
            if not len(documents):
                return []
            other, other_scores = self._documents(word)
            documents, mine, theirs = np.intersect1d(
                documents, other, assume_unique=True, return_indices=True
            )
            other_scores = other_scores[theirs]
            other_qualities = other_scores >> 8
            tiers = np.maximum(tiers[mine], _TIERS[other_qualities])
            qualities = qualities[mine] + other_qualities
            positions = positions[mine] + (other_scores & 0xFF)
        if not len(documents):
            return []
        keys = tiers << 52 | qualities << 44 | positions << 24 | documents
        if whole:
            keys[np.isin(documents, whole, invert=True)] |= 1 << 60
        if len(keys) > limit:
            keys = np.partition(keys, limit - 1)[:limit]
        keys.sort()
        return (keys & _DOC_MASK).tolist()


_TIERS = np.array(_TIER, dtype=np.int64)


# The two indexes of the platform ------------------------------------------------------

APPELLATION_STOPWORDS = frozenset(
    {"a", "au", "aux", "avec", "d", "dans", "de", "des", "du", "en", "et", "l", "la", "le"}
    | {"les", "ou", "par", "pour", "sur", "un", "une"}
)


class AppellationResult(NamedTuple):
    code: int
    label: str
    rome_code: str
    rome_label: str


class CommuneResult(NamedTuple):
    insee_code: str
    name: str
    kind: str
    department: str
    postal_codes: tuple[str, ...]
    population: int | None
    latitude: float | None
    longitude: float | None


# The builders read the normalised columns written by the import (``search_text``,
# ``normalized_name``): after a change to ``text.normalize``, run ``import_referentials``
# again, it rewrites them (and the indexes follow).


def build_appellation_index() -> WordPrefixIndex:
    from django.db.models import Sum

    from .models import Appellation, RomeMetier, RomeNafHiring

    hirings = dict(
        RomeNafHiring.objects.values_list("rome").annotate(total=Sum("hirings")).order_by()
    )
    rome_labels = dict(RomeMetier.objects.values_list("code", "label"))
    rows = []
    for code, label, rome_code, search_text in Appellation.objects.values_list(
        "code", "label", "rome_id", "search_text"
    ).order_by():
        rank = (-hirings.get(rome_code, 0), len(label), search_text, code)
        result = AppellationResult(code, label, rome_code, rome_labels[rome_code])
        rows.append((rank, Document(search_text.split(), result, (rome_code.lower(),))))
    rows.sort(key=itemgetter(0))
    return WordPrefixIndex((row[1] for row in rows), stopwords=APPELLATION_STOPWORDS)


def build_commune_index() -> WordPrefixIndex:
    from .models import Commune

    rows = []
    intern = sys.intern
    fields = (
        "insee_code",
        "name",
        "kind",
        "department",
        "postal_codes",
        "population",
        "latitude",
        "longitude",
        "normalized_name",
    )
    for row in Commune.objects.values_list(*fields).order_by():
        insee_code, name, kind, department, postal_codes, population, lat, lon, normalized = row
        codes = tuple(intern(code) for code in postal_codes.split())
        rank = (kind != Commune.Kind.COMMUNE, -(population or 0), normalized, insee_code)
        result = CommuneResult(
            insee_code, name, intern(kind), intern(department), codes, population, lat, lon
        )
        rows.append((rank, Document(normalized.split(), result, codes)))
    rows.sort(key=itemgetter(0))
    return WordPrefixIndex((row[1] for row in rows), replacements=SAINT_ABBREVIATIONS)


# Lazy, per-process indexes ------------------------------------------------------------

_generation = 0


def invalidate() -> None:
    """Forget the indexes of this process: the next search rebuilds them."""
    global _generation
    _generation += 1


def _version_token() -> str:
    from .models import ReferentialsVersion

    return (
        ReferentialsVersion.objects.filter(pk=ReferentialsVersion.SINGLETON_ID)
        .values_list("token", flat=True)
        .first()
        or ""
    )


class LazyIndex:
    """An index built on first use, rebuilt when the data changed."""

    def __init__(self, build: Callable[[], WordPrefixIndex]):
        self._build = build
        self._index: WordPrefixIndex | None = None
        self._generation = -1
        self._token: str | None = None
        self._next_check = 0.0
        self._lock = threading.Lock()

    def get(self) -> WordPrefixIndex:
        index = self._index
        if (
            index is not None
            and self._generation == _generation
            and time.monotonic() < self._next_check
        ):
            return index
        return self._refresh()

    def _refresh(self) -> WordPrefixIndex:
        with self._lock:
            generation = _generation
            token = _version_token()
            index = self._index
            if index is None or self._generation != generation or self._token != token:
                index = self._index = self._build()
                self._generation = generation
                self._token = token
            self._next_check = time.monotonic() + VERSION_CHECK_INTERVAL
            return index


appellation_index = LazyIndex(build_appellation_index)
commune_index = LazyIndex(build_commune_index)


def _valid(query: object) -> bool:
    return isinstance(query, str) and 0 < len(query) <= MAX_QUERY_LENGTH and not query.isspace()


# Words people type for a métier that its labels do not hold: curated synonyms (shipped as
# data, see data/SOURCES.md) and activity nouns turned into métier names (``text``).
METIER_SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "metier_synonyms.csv"
MAX_METIER_VARIANTS = 4
MAX_STEMS_PER_WORD = 2


@functools.cache
def metier_synonyms() -> dict[str, tuple[str, ...]]:
    """Normalised word (or words) → queries for the métiers it means, in the file's order."""
    table: dict[str, list[str]] = {}
    with METIER_SYNONYMS_FILE.open(encoding="utf-8", newline="") as lines:
        for row in csv.DictReader(lines, delimiter=";"):
            target = normalize(row["recherche"])
            entries = table.setdefault(normalize(row["mot"]), [])
            if target and target not in entries:
                entries.append(target)
    return {word: tuple(targets) for word, targets in table.items()}


def metier_variants(index: WordPrefixIndex, query: str) -> list[str]:
    """Other queries for the same métiers: the synonyms of the whole query or of one of
    its words, then each activity noun turned into a métier name found in the labels
    (« maraîchage » → « maraicher »). Empty for most queries."""
    words = normalize(query).split()
    if not words:
        return []
    synonyms = metier_synonyms()
    variants = list(synonyms.get(" ".join(words), ()))
    for position, word in enumerate(words):
        # A stem that merely continues a word being typed is already matched by its prefix
        # (« technic » → « technicien »); after a whole word (« pharmacie ») it is not.
        whole = index.has_word(word)
        stems = [
            stem
            for stem in activity_stems(word)
            if (whole or not stem.startswith(word)) and index.has_word(stem)
        ]
        for replacement in (*synonyms.get(word, ()), *stems[:MAX_STEMS_PER_WORD]):
            variant = " ".join((*words[:position], replacement, *words[position + 1 :]))
            if variant not in variants:
                variants.append(variant)
    return variants[:MAX_METIER_VARIANTS]


def search_appellations(
    query: str, limit: int = DEFAULT_LIMIT, *, fallback: bool = True
) -> list[AppellationResult]:
    """Appellations whose label matches every word of ``query`` (or of ROME code
    ``query``), with the synonyms and métier names of its words (``metier_variants``):
    those first, unless the best label already starts with the word typed (« chargé »).
    ``fallback=False``, or when synonyms were found: no typing errors nor infixes."""
    if not _valid(query):
        return []
    limit = max(1, min(int(limit), MAX_LIMIT))
    index = appellation_index.get()
    variants = metier_variants(index, query)
    related = list(
        chain.from_iterable(index.search(variant, limit, fallback=False) for variant in variants)
    )
    # With synonyms found, the typing errors of the word typed are noise (« compost » is
    # not « compositeur »).
    found = index.search(query, limit, fallback=fallback and not related)
    if not related:
        return found
    first_word = normalize(query).split()[0]
    if found and normalize(found[0].label).split()[:1] == [first_word]:
        ordered = chain(found, related)
    else:
        ordered = chain(related, found)
    results, seen = [], set()
    for appellation in ordered:
        if appellation.code not in seen:
            seen.add(appellation.code)
            results.append(appellation)
            if len(results) == limit:
                break
    return results


def search_communes(query: str, limit: int = DEFAULT_LIMIT) -> list[CommuneResult]:
    """Communes by name (accents, hyphens, « st » optional) or by postal code prefix."""
    if not _valid(query):
        return []
    return commune_index.get().search(query, limit)
