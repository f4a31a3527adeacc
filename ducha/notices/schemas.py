from __future__ import annotations

from datetime import datetime

from ninja import Schema

from ducha.core.schemas import PageOut, PageQuery


class NotificationQuery(PageQuery):
    unread: bool | None = None


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    next_step: str
    url: str
    actor: str | None
    subject_type: str
    subject_id: int | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(PageOut):
    unread: int
    items: list[NotificationOut]


class UnreadOut(Schema):
    unread: int


class ReadAllOut(Schema):
    marked: int
