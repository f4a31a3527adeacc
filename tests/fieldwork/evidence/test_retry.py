"""A retried upload (same client key) records and stores nothing twice."""

from __future__ import annotations

import uuid

import pytest

from ducha.fieldwork.models import Evidence, FieldEvent
from tests.fieldwork.evidence.conftest import png, stored_files

pytestmark = pytest.mark.usefixtures("media")


def test_same_key_again_returns_the_first_result(as_user, problem, media):
    uploader = as_user("county_office")
    key = uuid.uuid4()

    first = uploader.post(png(), key=key, problem=problem)
    again = uploader.post(png(), key=key, problem=problem)

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Evidence.objects.count() == 1
    assert FieldEvent.objects.filter(action="attach_evidence").count() == 1
    assert len(stored_files(media)) == 2  # the photo and its thumbnail, once


def test_another_user_cannot_reuse_a_key(as_user, problem, media):
    key = uuid.uuid4()
    assert as_user("county_office").post(png(), key=key, problem=problem).status_code == 201

    response = as_user("county_team_member").post(png(), key=key, problem=problem)

    assert response.status_code == 422
    assert response.json()["field"] == "client_key"
    assert Evidence.objects.count() == 1
    assert len(stored_files(media)) == 2


def test_a_key_cannot_be_reused_for_another_object(as_user, world, problem):
    other = world.problem(title="夜间值守人员脱岗")
    uploader = as_user("county_office")
    key = uuid.uuid4()
    assert uploader.post(png(), key=key, problem=problem).status_code == 201

    response = uploader.post(png(), key=key, problem=other)

    assert response.status_code == 422
    assert response.json()["field"] == "client_key"
    assert not Evidence.objects.filter(problem=other).exists()


def test_different_keys_make_different_evidence(as_user, problem):
    uploader = as_user("county_office")
    assert uploader.post(png(), problem=problem).status_code == 201
    assert uploader.post(png(), problem=problem).status_code == 201
    assert Evidence.objects.filter(problem=problem).count() == 2


def test_a_retry_racing_the_first_try_gets_its_result(as_user, problem, media, monkeypatch):
    from ducha.fieldwork import evidence as module

    uploader = as_user("county_office")
    key = uuid.uuid4()
    first = uploader.post(png(), key=key, problem=problem).json()
    files_before = stored_files(media)

    # The retry looks for the key before the first try's row is visible to it...
    real_replay = module._replay
    calls = []

    def replay_missing_once(*args, **kwargs):
        calls.append(args)
        return None if len(calls) == 1 else real_replay(*args, **kwargs)

    monkeypatch.setattr(module, "_replay", replay_missing_once)
    # ...so it stores its files, then meets the unique key when it inserts.
    again = uploader.post(png((30, 30)), key=key, problem=problem)

    assert len(calls) == 2
    assert again.status_code == 201
    assert again.json() == first
    assert Evidence.objects.count() == 1
    assert stored_files(media) == files_before
