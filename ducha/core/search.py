"""Chinese text made searchable: one normal form and one segmentation for what is stored
and for what is asked (docs/search.md).

Both sides go through `normalise` (full-width to half-width, traditional to simplified
script with OpenCC, case folded), so 報表 finds 报表. Stored text is cut by jieba in search
mode (every dictionary word and the longer words it sits in), a query in precise mode (the
words as typed); a stored text matches when it holds every word of the query. A word is a run
of Chinese characters or of ASCII letters and digits, two characters or longer: single
characters carry no meaning a search can rely on and would match half the country.

Where the words find nothing, the query's strings (each run of two characters or more, as
typed) are looked for inside the stored words instead: a shop's name that jieba cuts into
single characters (恒和), or part of a number or code (the last digits of a phone number).
PostgreSQL answers that from a trigram index (`fulltext.AddTrigramIndex`).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import AfterValidator, StringConstraints

from ducha.core.errors import InvalidInput
from ducha.core.text import SEARCH, TextField, text_checker

# The work's own terms, so that 隔离点 or 四不两直 stay one word (see docs/search.md).
TERMS = Path(__file__).parent / "data" / "search_terms.txt"
# At most this many words in one query: more narrows nothing and costs an index probe each.
MAX_WORDS = 10
# Words of a stored text beyond this many are not indexed (a 10,000-character report).
MAX_STORED_WORDS = 2_000

_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
_lock = threading.Lock()


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def _tokenizer() -> Any:
    with _lock:
        return _load_tokenizer()


@cache
def _load_tokenizer() -> Any:
    import logging

    import jieba

    # jieba announces its dictionary on every load; a server's log has no use for it.
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(TERMS))
    return tokenizer


def _each(step: Any, text: str) -> str:
    """`step` applied to the text, character by character if it changed the length."""
    changed = step(text)
    if len(changed) == len(text):
        return changed
    return "".join(step(char)[:1] or char for char in text)


def normalise(text: str) -> str:
    """The form both sides are compared in. Keeps the length of the text, character for
    character, so that a match found here can be marked in the original."""
    text = _each(lambda value: unicodedata.normalize("NFKC", value), text)
    text = _each(_converter().convert, text)
    return _each(str.lower, text)


def _cuttable(text: str) -> str:
    """The normal form without format characters (zero-width spaces and joiners, a BOM):
    invisible, they would otherwise split 零\u200b宽 into two single characters."""
    return "".join(char for char in normalise(text) if unicodedata.category(char) != "Cf")


def _words(tokens: Iterable[str]) -> Iterator[str]:
    for token in tokens:
        # jieba keeps "12345热线" or "u盘" together; the index keeps one script per word so
        # that PostgreSQL's parser and SQLite's tokenizer see the same words we do.
        for word in _WORD.findall(token):
            if len(word) >= 2:
                yield word


def stored_words(*texts: str) -> str:
    """The words of the texts as the index keeps them: space-separated, each once."""
    tokenizer = _tokenizer()
    seen: dict[str, None] = {}
    for text in texts:
        if text:
            for word in _words(tokenizer.cut_for_search(_cuttable(text))):
                seen.setdefault(word, None)
    return " ".join(list(seen)[:MAX_STORED_WORDS])


def joined(existing: str, *texts: str) -> str:
    """`existing` words with those of `texts` added (an action adds a report or a rule)."""
    added = stored_words(*texts)
    if not existing:
        return added
    have = set(existing.split(" "))
    more = [word for word in added.split(" ") if word and word not in have]
    return " ".join([existing, *more]) if more else existing


@dataclass(frozen=True)
class TextQuery:
    """What a user asked for: the words a match must hold (all of them), and the strings to
    look for inside the stored words when the words find nothing (`by_characters`)."""

    text: str
    words: tuple[str, ...]
    strings: tuple[str, ...] = ()
    by_characters: bool = False

    @property
    def sought(self) -> tuple[str, ...]:
        """What a match holds, to be marked: the words, or the strings."""
        return self.strings if self.by_characters else self.words

    def characters(self) -> TextQuery:
        """The same query, matched by its strings."""
        return replace(self, by_characters=True)

    def tsquery(self, *, any_word: bool = False) -> str:
        """PostgreSQL's tsquery literal: each word quoted, so nothing in it is an operator."""
        joiner = " | " if any_word else " & "
        return joiner.join("'{}'".format(word.replace("'", "''")) for word in self.words)

    def fts5(self, *, any_word: bool = False) -> str:
        """SQLite FTS5's query: each word a quoted string, so nothing in it is an operator."""
        joiner = " OR " if any_word else " "
        return joiner.join('"{}"'.format(word.replace('"', '""')) for word in self.words)


def query_strings(text: str) -> tuple[str, ...]:
    """The runs of two characters or more, in normal form, each once."""
    seen: dict[str, None] = {}
    for run in _WORD.findall(_cuttable(text)):
        if len(run) >= 2:
            seen.setdefault(run[:SEARCH], None)
    return tuple(seen)


def query_words(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for word in _words(_tokenizer().cut(_cuttable(text))):
        seen.setdefault(word, None)
    return tuple(seen)


def parse_query(text: str, field: str = "q") -> TextQuery | None:
    """The query, None for an empty one, or InvalidInput naming the field and what is needed.

    Quotes, operators and punctuation are only separators: a query is words, all required.
    """
    text = text.strip()
    if not text:
        return None
    words = query_words(text)
    strings = query_strings(text)
    if not strings:
        raise InvalidInput(
            _(
                "Search needs a word of at least two characters (Chinese characters, letters "
                "or digits)."
            ),
            field,
        )
    if len(words) > MAX_WORDS or len(strings) > MAX_WORDS:
        raise InvalidInput(
            _("Search with at most %(count)s words; this asks for %(asked)s.")
            % {"count": MAX_WORDS, "asked": max(len(words), len(strings))},
            field,
        )
    # No word at all (恒和: two single characters to jieba): only the strings can match.
    return TextQuery(text=text, words=words, strings=strings, by_characters=not words)


def similar_query(*texts: str, limit: int = MAX_WORDS) -> TextQuery | None:
    """A query for texts like these: their longest words (the most telling), any of which
    may match (`any_word=True` when it is run)."""
    words = sorted(set(query_words(" ".join(texts))), key=lambda word: (-len(word), word))
    if not words:
        return None
    return TextQuery(text=" ".join(texts), words=tuple(words[:limit]))


def highlight(text: str, query: TextQuery | None) -> SafeString:
    """The text, escaped, with every occurrence of a query word (in either script) marked."""
    if query is None or not text:
        return escape(text)
    folded = normalise(text)
    marks = [False] * len(text)
    for word in query.sought:
        start = folded.find(word)
        while start != -1:
            for index in range(start, min(start + len(word), len(marks))):
                marks[index] = True
            start = folded.find(word, start + len(word))
    parts: list[str] = []
    index = 0
    while index < len(text):
        end = index
        while end < len(text) and marks[end] == marks[index]:
            end += 1
        piece = escape(text[index:end])
        parts.append(f"<mark>{piece}</mark>" if marks[index] else piece)
        index = end
    return mark_safe("".join(parts))  # noqa: S308 (every piece escaped above)


# --- Adapters: the same refusal on the pages and in the API --------------------------------


def _check_words(value: str) -> str:
    try:
        parse_query(value)
    except InvalidInput as error:
        raise ValueError(error.message) from None
    return value


# The API's `q` of a full-text search: bounded text that parses as a query (else a 422).
FullTextSearch = Annotated[
    str,
    StringConstraints(max_length=SEARCH),
    text_checker(SEARCH, False),
    AfterValidator(_check_words),
]


class SearchField(TextField):
    """A page's `q` of a full-text search, refused as the API refuses it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Search"))
        kwargs.setdefault("required", False)
        super().__init__(max_length=SEARCH, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        try:
            parse_query(value or "")
        except InvalidInput as error:
            raise ValidationError(error.message, code="search") from None
