"""佐证材料: checking, storing and attaching photos and documents.

A file is judged by its bytes alone. Photos are decoded and drawn again, so what is kept is
pixels we wrote ourselves (no EXIF/GPS, no trailing payload), one at a time per process and
only after their size in pixels has been read from the header; PDFs are kept as sent, without
active content (evidence_checks.py), and only ever served as downloads. Files reach the disk
after every check has passed and leave it again when the transaction that recorded them does
not commit.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import uuid
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ducha.accounts.choices import OFFICE_ROLES, SUPERVISOR_ROLES, Role
from ducha.core.errors import InvalidInput
from ducha.core.scoping import access
from ducha.fieldwork.choices import CaptureClock, EvidenceKind, FieldAction
from ducha.fieldwork.evidence_checks import DECODING, check_pdf, count_upload
from ducha.fieldwork.models import Evidence, FieldEvent, Inspection
from ducha.problems.access import access_problem
from ducha.problems.choices import Action, PhotoStage
from ducha.problems.models import Problem, ProblemEvent

# Only these decoders ever see an upload: Pillow can open many more formats, some of them
# through outside programs (EPS runs Ghostscript).
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
PDF_MAGIC = b"%PDF-"
PDF_TYPE = "application/pdf"
THUMBNAIL_EDGE = 480
JPEG_QUALITY = 85

# Roles that may add evidence to a problem they can see (leaders, command and discipline
# read the file but do not add to it).
ATTACH_TO_PROBLEM_ROLES = SUPERVISOR_ROLES | {Role.UNIT_HANDLER}
ATTACH_TO_INSPECTION_ROLES = OFFICE_ROLES
ATTACH_ACTION = "attach_evidence"
NAME_MAX = Evidence._meta.get_field("original_name").max_length or 200


@dataclass(frozen=True)
class Prepared:
    """An upload that passed every check, in the form it will be stored."""

    kind: str
    content: bytes
    content_type: str
    extension: str
    sha256: str
    original_name: str
    thumbnail: bytes | None = None


@dataclass(frozen=True)
class PhotoTaken:
    """What the phone said about a photo taken in the field app: its clock, and where it
    was if the member allowed the position to be read."""

    captured_at: datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    accuracy: int | None = None


# A phone's clock may run a little ahead; a photo queued on a phone waits days at most.
CLOCK_SLACK = timedelta(minutes=5)
OLD_PHOTO = timedelta(days=7)


def capture_clock(captured_at: datetime | None, received_at: datetime) -> str:
    """Whether the phone's time of a photo is to be doubted, against the server's receipt."""
    if captured_at is None:
        return ""
    if captured_at > received_at + CLOCK_SLACK:
        return CaptureClock.AHEAD
    if captured_at < received_at - OLD_PHOTO:
        return CaptureClock.OLD
    return ""


# --- checking the bytes ------------------------------------------------------------------


def display_name(name: str | None) -> str:
    """The client's file name as harmless display text: no folders, no control characters.

    Format characters go too: a right-to-left override can make "gpj.exe" read as "exe.jpg".
    """
    text = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
    text = " ".join(text.split()).strip(" .")
    if len(text) > NAME_MAX:
        suffix = PurePosixPath(text).suffix[:10]
        text = text[: NAME_MAX - len(suffix)] + suffix
    return text or "file"


def download_name(evidence: Evidence) -> str:
    """The display name with the extension of what we actually stored."""
    stem = PurePosixPath(evidence.original_name).stem or "file"
    return stem[: NAME_MAX - len(evidence.extension)] + evidence.extension


def _too_large(limit: int) -> InvalidInput:
    return InvalidInput(
        _("The file is too large: the limit is %(limit)s.") % {"limit": filesizeformat(limit)},
        "file",
    )


def _not_allowed() -> InvalidInput:
    return InvalidInput(
        _("This type of file is not accepted. Send a photo (JPEG, PNG or WebP) or a PDF."),
        "file",
    )


def read_upload(upload: UploadedFile, limit: int | None = None) -> bytes:
    """The upload's bytes, refusing anything over the limit (evidence's unless another is
    given) without reading all of it."""
    limit = settings.DUCHA_EVIDENCE_MAX_BYTES if limit is None else limit
    if upload.size is not None and upload.size > limit:
        raise _too_large(limit)
    upload.seek(0)
    # The declared size comes from the client's multipart headers; count for ourselves.
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    if not data:
        raise InvalidInput(_("The file is empty."), "file")
    return data


def _unreadable() -> InvalidInput:
    return InvalidInput(_("The photo is damaged or incomplete and cannot be read."), "file")


def _open_image(data: bytes) -> Image.Image:
    limit = settings.DUCHA_IMAGE_MAX_PIXELS
    # Pillow refuses outright above twice this (in open(), from the header); the explicit
    # check below refuses above it. Both happen before any pixel is decoded: open() reads
    # the header only, load() decodes.
    Image.MAX_IMAGE_PIXELS = limit
    too_many = InvalidInput(
        _("The photo has too many pixels: the limit is %(limit)s megapixels.")
        % {"limit": f"{limit / 1_000_000:g}"},
        "file",
    )
    try:
        probe = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
        if probe.width * probe.height > limit:
            raise too_many
        probe.verify()
        # verify() leaves the image unusable; decode a fresh one.
        image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
        image.load()
    except Image.DecompressionBombError:
        raise too_many from None
    except UnidentifiedImageError:
        raise _not_allowed() from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _unreadable() from None
    return image


def _has_transparency(image: Image.Image) -> bool:
    if "transparency" in image.info:
        return True
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        extrema = image.getchannel("A").getextrema()
        return isinstance(extrema[0], int | float) and extrema[0] < 255
    return False


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    # Nothing of the original's metadata is passed on: no EXIF, GPS, ICC or text chunks.
    image.info = {}
    if fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _prepare_image(data: bytes) -> tuple[bytes, bytes, str, str]:
    """The photo redrawn upright as JPEG (PNG when it has see-through parts), and a thumbnail."""
    image = _open_image(data)
    try:
        transparent = _has_transparency(image)
        # Phones store "rotate me" in EXIF; apply it before the EXIF is dropped.
        upright = ImageOps.exif_transpose(image) or image
        if transparent:
            fmt, content_type, extension = "PNG", "image/png", ".png"
            upright = upright.convert("RGBA")
        else:
            fmt, content_type, extension = "JPEG", "image/jpeg", ".jpg"
            upright = upright.convert("RGB")
        thumb = upright.copy()
        thumb.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE), Image.Resampling.LANCZOS)
        return _encode(upright, fmt), _encode(thumb, fmt), content_type, extension
    except (OSError, ValueError):
        # Decoded but not convertible (an exotic pixel mode, a broken EXIF block).
        raise _unreadable() from None


def prepare_upload(upload: UploadedFile) -> Prepared:
    """Check an upload by its content and turn it into what will be stored, or refuse it."""
    data = read_upload(upload)
    name = display_name(upload.name)
    if data.startswith(PDF_MAGIC):
        check_pdf(data)
        return Prepared(
            kind=EvidenceKind.DOCUMENT,
            content=data,
            content_type=PDF_TYPE,
            extension=".pdf",
            sha256=hashlib.sha256(data).hexdigest(),
            original_name=name,
        )
    with DECODING:
        content, thumbnail, content_type, extension = _prepare_image(data)
    return Prepared(
        kind=EvidenceKind.IMAGE,
        content=content,
        content_type=content_type,
        extension=extension,
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=name,
        thumbnail=thumbnail,
    )


# --- who may attach to what ---------------------------------------------------------------


def _check_problem(user: Any, problem: Problem) -> Problem:
    found = access(Problem, user, problem.pk)
    if not found.roles & ATTACH_TO_PROBLEM_ROLES:
        raise PermissionDenied(_("Your role may not add evidence to this problem."))
    return found.obj


def _check_rectification(
    user: Any, event: ProblemEvent, problem: Problem | None
) -> tuple[Problem, ProblemEvent]:
    # Only the responsible unit's handler documents its own rectification report.
    found = access_problem(user, event.problem_id, Action.SUBMIT_RECTIFICATION)
    if problem is not None and problem.pk != event.problem_id:
        raise InvalidInput(_("This step belongs to another problem."), "problem_event")
    if event.action != Action.SUBMIT_RECTIFICATION:
        raise InvalidInput(
            _("Evidence can be added only to a rectification report."), "problem_event"
        )
    return found, event


def _check_inspection(user: Any, inspection: Inspection) -> Inspection:
    found = access(Inspection, user, inspection.pk, FieldAction.RECORD_INSPECTION)
    # A team member adds to their own team's visits, not to any visit in the regions they cover.
    if (
        not found.roles & ATTACH_TO_INSPECTION_ROLES
        and not found.obj.team.members.filter(pk=user.pk).exists()
    ):
        raise PermissionDenied(_("Only members of the visiting team may add evidence here."))
    return found.obj


def _check_stage(stage: str | None, problem_event: ProblemEvent | None) -> str:
    stage = stage or ""
    if stage and stage not in PhotoStage.values:
        raise InvalidInput(_("Choose before or after the rectification."), "stage")
    if stage and problem_event is None:
        raise InvalidInput(
            _("Only a rectification report's files are marked before or after."), "stage"
        )
    return stage


def check_target(
    user: Any,
    inspection: Inspection | None = None,
    problem: Problem | None = None,
    problem_event: ProblemEvent | None = None,
) -> tuple[Inspection | None, Problem | None, ProblemEvent | None]:
    """The object the evidence goes to, after checking the user may add to it.

    Raises Http404 when it is not visible, PermissionDenied when the role may not add,
    InvalidInput when the combination makes no sense.
    """
    if inspection is not None and (problem is not None or problem_event is not None):
        raise InvalidInput(
            _("Attach the file to an inspection or to a problem, not both."), "inspection"
        )
    if problem_event is not None:
        problem, problem_event = _check_rectification(user, problem_event, problem)
        return None, problem, problem_event
    if problem is not None:
        return None, _check_problem(user, problem), None
    if inspection is not None:
        return _check_inspection(user, inspection), None, None
    raise InvalidInput(_("Choose the inspection or problem the file belongs to."), "inspection")


# --- storing ------------------------------------------------------------------------------


class FilesOnDisk:
    """Files written inside a transaction, deleted again unless that transaction commits.

    Django calls back on commit only. The on-commit callback holds the one reference to
    this object; a rollback (of our block or of a caller's outer one) drops the callback and
    with it the object, whose finaliser then removes the files (CPython frees it at once).
    A commit runs the callback, which disarms the finaliser first. Failures inside our own
    block do not wait for that: they delete at once.
    """

    def __init__(self, storage: Storage) -> None:
        self.names: list[str] = []
        self._finalizer = weakref.finalize(self, _delete_files, storage, self.names)

    def add(self, name: str | None) -> None:
        if name:
            self.names.append(name)

    def keep_on_commit(self) -> None:
        transaction.on_commit(self._kept)

    def _kept(self) -> None:
        self._finalizer.detach()

    def delete_now(self) -> None:
        self._finalizer()


def _delete_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def _parse_key(client_key: Any) -> uuid.UUID | None:
    if client_key is None or client_key == "":
        return None
    if isinstance(client_key, uuid.UUID):
        return client_key
    try:
        return uuid.UUID(str(client_key))
    except ValueError:
        raise InvalidInput(_("Send the key as a UUID."), "client_key") from None


def _replay(
    user: Any,
    key: uuid.UUID,
    inspection: Inspection | None,
    problem: Problem | None,
    problem_event: ProblemEvent | None,
) -> Evidence | None:
    """The evidence an earlier try with this key recorded, if it is the same request."""
    existing = Evidence.objects.filter(client_key=key).first()
    if existing is None:
        return None
    same_target = (
        existing.inspection_id == (inspection.pk if inspection else None)
        and existing.problem_id == (problem.pk if problem else None)
        and existing.problem_event_id == (problem_event.pk if problem_event else None)
    )
    if existing.uploaded_by_id != user.pk or not same_target:
        raise InvalidInput(
            _("This submission key was already used for another upload."), "client_key"
        )
    return existing


def do_attach_evidence(
    *,
    acting_user: Any,
    upload: UploadedFile,
    inspection: Inspection | None = None,
    problem: Problem | None = None,
    problem_event: ProblemEvent | None = None,
    client_key: Any = None,
    stage: str = "",
    taken: PhotoTaken | None = None,
) -> Evidence:
    """Check, store and attach one file. The same client_key again returns the first result.
    A rectification report's file says whether it shows the state before or after the fix;
    `taken` is kept on the record as the phone said it, beside the server's receipt time."""
    inspection, problem, problem_event = check_target(
        acting_user, inspection, problem, problem_event
    )
    stage = _check_stage(stage, problem_event)
    key = _parse_key(client_key)
    if key is not None and (found := _replay(acting_user, key, inspection, problem, problem_event)):
        return found
    # A replay above costs nothing; every new file counts, refused or not, for checking it
    # is the cost being bounded.
    count_upload(acting_user)
    prepared = prepare_upload(upload)
    taken = taken or PhotoTaken()
    received_at = timezone.now()

    evidence = Evidence(
        kind=prepared.kind,
        content_type=prepared.content_type,
        extension=prepared.extension,
        size=len(prepared.content),
        sha256=prepared.sha256,
        original_name=prepared.original_name,
        inspection=inspection,
        problem=problem,
        problem_event=problem_event,
        stage=stage,
        uploaded_by=acting_user,
        uploaded_at=received_at,
        client_key=key,
        captured_at=taken.captured_at,
        capture_clock=capture_clock(taken.captured_at, received_at),
        latitude=taken.latitude,
        longitude=taken.longitude,
        position_accuracy=taken.accuracy,
    )
    files = FilesOnDisk(evidence.file.storage)
    try:
        with transaction.atomic():
            files.keep_on_commit()
            evidence.file.save(
                prepared.sha256 + prepared.extension, ContentFile(prepared.content), save=False
            )
            files.add(evidence.file.name)
            if prepared.thumbnail is not None:
                evidence.thumbnail.save(
                    prepared.sha256 + prepared.extension,
                    ContentFile(prepared.thumbnail),
                    save=False,
                )
                files.add(evidence.thumbnail.name)
            evidence.save()
            FieldEvent.objects.create(
                actor=acting_user,
                action=ATTACH_ACTION,
                inspection=inspection,
                payload={
                    "evidence": evidence.pk,
                    "problem": problem.pk if problem else None,
                    "problem_event": problem_event.pk if problem_event else None,
                    "kind": evidence.kind,
                    "stage": evidence.stage,
                    "sha256": evidence.sha256,
                    **(
                        {
                            "captured_at": taken.captured_at.isoformat(),
                            "capture_clock": evidence.capture_clock,
                        }
                        if taken.captured_at
                        else {}
                    ),
                },
            )
    except IntegrityError:
        files.delete_now()
        # A concurrent try with the same key won the race: answer with its result.
        if key is not None and (
            found := _replay(acting_user, key, inspection, problem, problem_event)
        ):
            return found
        raise
    except BaseException:
        files.delete_now()
        raise
    return evidence


def attach_as(field: str, **kwargs: Any) -> Evidence:
    """`do_attach_evidence` for a file sent in a form field or multipart part of its own
    (an action's photos, a visit's): a refused file is reported on that field."""
    try:
        return do_attach_evidence(**kwargs)
    except InvalidInput as error:
        if error.field == "file":
            error.field = field
        raise
