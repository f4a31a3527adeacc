"""Every change of a document. Atomic; one DocumentEvent per call.

Callers (pages, API) check access first (`ducha.documents.access`); these functions check
what only they can: the state of the locked row and the meaning of the input. Bad input
raises InvalidInput naming the field; a document already issued raises TransitionRefused.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.errors import InvalidInput, TransitionRefused
from ducha.core.search import stored_words
from ducha.documents.choices import DocState, EventAction, Kind
from ducha.documents.files import render_files
from ducha.documents.kinds import as_of_for, spec
from ducha.documents.kinds.common import ROW_RELATED, problem_row
from ducha.documents.models import (
    Document,
    DocumentEvent,
    DocumentFile,
    DocumentProblem,
)
from ducha.documents.numbering import next_number, reference
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org
from ducha.problems.models import Problem

MAX_TITLE = 200
MAX_ADDRESSEE = 300
MAX_COPY_TO = 300
# What separates the names of a copy-to line as people type it; it is printed with "，".
COPY_TO_SEPARATORS = re.compile(r"[,，、;；]")
MAX_TEXT = 10_000


def _event(document: Document, acting_user: Any, action: str, **payload: Any) -> DocumentEvent:
    # The time is read now, not from the field default, so a replayed history keeps its moments.
    return DocumentEvent.objects.create(
        document=document,
        actor=acting_user,
        action=action,
        created_at=timezone.now(),
        payload=payload,
    )


def _title(value: str) -> str:
    title = (value or "").strip()
    if not title:
        raise InvalidInput(_("This field is required."), "title")
    if len(title) > MAX_TITLE:
        raise InvalidInput(
            _("Keep the title within %(max)s characters.") % {"max": MAX_TITLE}, "title"
        )
    return title


def _addressee(value: str) -> str:
    addressee = (value or "").strip().rstrip(":：")
    if len(addressee) > MAX_ADDRESSEE:
        raise InvalidInput(
            _("Keep the main recipients within %(max)s characters.") % {"max": MAX_ADDRESSEE},
            "addressee",
        )
    return addressee


def _copy_to(value: str) -> str:
    """抄送: the names, in the order typed, joined as the 版记 prints them."""
    text = (value or "").strip().removeprefix("抄送").lstrip(":：").rstrip("。.")
    names = [name.strip() for name in COPY_TO_SEPARATORS.split(text) if name.strip()]
    copy_to = "，".join(names)
    if len(copy_to) > MAX_COPY_TO:
        raise InvalidInput(
            _("Keep the copy-to line within %(max)s characters.") % {"max": MAX_COPY_TO},
            "copy_to",
        )
    return copy_to


def _texts(kind: str, texts: dict[str, Any]) -> dict[str, str]:
    allowed = {key for key, _label in spec(kind).text_keys}
    cleaned = {}
    for key, value in texts.items():
        if key not in allowed:
            raise InvalidInput(_("This document has no such section."), f"texts.{key}")
        text = str(value or "").strip()
        if len(text) > MAX_TEXT:
            raise InvalidInput(
                _("Keep each section within %(max)s characters.") % {"max": MAX_TEXT},
                f"texts.{key}",
            )
        cleaned[key] = text
    # A kind whose sections have a shape of their own (a notice's numbered items) checks it.
    clean_texts = getattr(spec(kind), "clean_texts", None)
    return clean_texts(cleaned) if clean_texts else cleaned


@transaction.atomic
def do_create_draft(
    *,
    acting_user: Any,
    kind: str,
    issuer: Org,
    params: dict[str, Any],
    title: str = "",
    addressee: str | None = None,
    copy_to: str = "",
    texts: dict[str, Any] | None = None,
) -> Document:
    """Draft a document from the data; its figures are refreshed again when it is issued."""
    if kind not in Kind.values:
        raise InvalidInput(
            _("Select a valid choice. That choice is not one of the available choices."), "kind"
        )
    if issuer.kind != OrgKind.OFFICE:
        raise InvalidInput(_("Choose a supervision office."), "issuer")
    kind_spec = spec(kind)
    now = timezone.now()
    written = _texts(kind, texts or {})
    copy_to = _copy_to(copy_to)
    cleaned = kind_spec.clean_params(issuer, params)
    drafted = kind_spec.draft(issuer, cleaned, now)
    document = Document(
        kind=kind,
        issuer=issuer,
        recipient=drafted.recipient,
        title=_title(title)
        if title
        else kind_spec.default_title(issuer, cleaned, drafted)[:MAX_TITLE],
        addressee=(
            _addressee(addressee)
            if addressee is not None
            else kind_spec.default_addressee(issuer, drafted)
        ),
        copy_to=copy_to,
        as_of=as_of_for(kind, cleaned, now),
        params=cleaned,
        texts=kind_spec.default_texts() | written,
        data=drafted.data | {"problem_ids": drafted.problem_ids},
        created_by=acting_user,
        created_at=now,
        updated_at=now,
    )
    document.search_text = document_words(document)
    document.save()
    _event(document, acting_user, EventAction.CREATED, kind=kind, params=cleaned)
    return document


def document_words(document: Document) -> str:
    """What the full-text index keeps of a document: its title, reference and written
    sections (`manage.py reindex` computes it alike)."""
    texts = [str(value) for _key, value in sorted((document.texts or {}).items())]
    return stored_words(document.title, document.reference, *texts)


def _lock_draft(document: Document) -> Document:
    locked = Document.objects.select_for_update().select_related("issuer").get(pk=document.pk)
    if locked.state != DocState.DRAFT:
        raise TransitionRefused(
            _("This document has been issued; an issued document can no longer change.")
        )
    return locked


@transaction.atomic
def do_edit_draft(
    document: Document,
    *,
    acting_user: Any,
    title: str | None = None,
    addressee: str | None = None,
    copy_to: str | None = None,
    texts: dict[str, Any] | None = None,
    refresh: bool = False,
) -> Document:
    """Change what the office writes; `refresh` drafts the figures from the data again."""
    document = _lock_draft(document)
    changed = []
    if title is not None and _title(title) != document.title:
        document.title = _title(title)
        changed.append("title")
    if addressee is not None and _addressee(addressee) != document.addressee:
        document.addressee = _addressee(addressee)
        changed.append("addressee")
    if copy_to is not None and _copy_to(copy_to) != document.copy_to:
        document.copy_to = _copy_to(copy_to)
        changed.append("copy_to")
    if texts:
        merged = document.texts | _texts(document.kind, texts)
        changed += [
            f"texts.{key}" for key in sorted(merged) if merged[key] != document.texts.get(key)
        ]
        document.texts = merged
    now = timezone.now()
    if refresh:
        drafted = spec(document.kind).draft(document.issuer, document.params, now)
        document.data = drafted.data | {"problem_ids": drafted.problem_ids}
        document.as_of = as_of_for(document.kind, document.params, now)
        changed.append("data")
    document.updated_at = now
    document.search_text = document_words(document)
    document.save()
    _event(document, acting_user, EventAction.EDITED, changed=changed)
    return document


@transaction.atomic
def do_issue_document(document: Document, *, acting_user: Any) -> Document:
    """Number the document, state the figures as they are now, and keep it for good."""
    document = _lock_draft(document)
    kind_spec = spec(document.kind)
    now = timezone.now()
    try:
        drafted = kind_spec.draft(document.issuer, document.params, now)
    except InvalidInput as error:
        # The data moved since drafting (the problems were closed, or listed elsewhere).
        raise TransitionRefused(error.message, error.field) from error
    year = timezone.localdate(now).year
    number = next_number(document.issuer, document.kind, year)
    document.state = DocState.ISSUED
    document.number, document.year = number, year
    document.reference = reference(document.issuer, document.kind, year, number)
    document.issued_at, document.issued_by = now, acting_user
    document.as_of = as_of_for(document.kind, document.params, now)
    document.data = drafted.data | {"problem_ids": drafted.problem_ids}
    document.updated_at = now
    document.search_text = document_words(document)
    document.save()
    _link_problems(document, drafted.problem_ids, now)
    stored = _store_files(document, now)
    _event(
        document,
        acting_user,
        EventAction.ISSUED,
        number=number,
        reference=document.reference,
        files=stored,
        problems=len(drafted.problem_ids),
    )
    return document


def _link_problems(document: Document, problem_ids: list[int], now: Any) -> None:
    problems = Problem.objects.select_related(*ROW_RELATED).in_bulk(problem_ids)
    DocumentProblem.objects.bulk_create(
        DocumentProblem(
            document=document,
            problem_id=pk,
            position=position,
            responsible_org_id=problems[pk].responsible_org_id,
            snapshot=problem_row(problems[pk], now),
        )
        for position, pk in enumerate(problem_ids, 1)
    )


def _store_files(document: Document, now: Any) -> dict[str, str]:
    """Write the files; if anything after fails, the transaction undoes the rows and this
    removes the files it wrote."""
    written: list[DocumentFile] = []
    try:
        for file_format, content in render_files(document).items():
            row = DocumentFile(
                document=document,
                format=file_format,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
                created_at=now,
            )
            row.file.save(f"{row.sha256}.{file_format}", ContentFile(content), save=False)
            written.append(row)
            row.save()
    except BaseException:
        for row in written:
            if row.file.name:
                row.file.storage.delete(row.file.name)
        raise
    return {row.format: row.sha256 for row in written}
