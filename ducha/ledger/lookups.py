"""Names in a ledger file resolved to rows the uploader may use, a few queries per file.

Only the names that occur in the file are looked up, always starting from what the user may
see (`visible_to`), so a name outside the jurisdiction reads exactly like one that does not
exist. Whether a region may receive a new problem follows `_may_create_in` of the problem
API: a grant of a role that may record problems whose region contains it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from ducha.core.scope import grants_for
from ducha.ledger.columns import in_every_language, normalize
from ducha.orgs.models import Org, Site, Team
from ducha.orgs.querysets import NOTHING
from ducha.problems.choices import ACTION_ROLES, Action, Nature, Urgency
from ducha.problems.choosers import UNIT_KINDS, lies_near
from ducha.problems.models import FocusArea

PATH_SEPARATOR = "/"
IN_CHUNKS = 500


def ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def region_text(value: Any) -> str:
    """A region cell as text: codes typed as numbers lose their ".0"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


def path_segments(text: str) -> list[str]:
    return [
        part.strip() for part in normalize_separators(text).split(PATH_SEPARATOR) if part.strip()
    ]


def normalize_separators(text: str) -> str:
    return text.replace("／", PATH_SEPARATOR).replace("\\", PATH_SEPARATOR)


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(values)
    for start in range(0, len(items), IN_CHUNKS):
        yield items[start : start + IN_CHUNKS]


@dataclass
class RegionEntry:
    pk: int
    path: str
    names: list[str]  # from the root down to this region

    @property
    def full_name(self) -> str:
        return PATH_SEPARATOR.join(self.names)


@dataclass
class Found:
    pk: int | None = None
    code: str = ""  # an error code when pk is None
    params: dict[str, Any] = field(default_factory=dict)


def choice_map(choices: Any) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value, label in choices.choices:
        mapping[normalize(value)] = value
        for form in in_every_language(label):
            mapping[form] = value
    return mapping


class Reference:
    """What the names in one file stand for, for one user."""

    def __init__(self, user: Any, create_roles: frozenset[str] | None = None) -> None:
        # `create_roles`: who may add a row's object in a region (who records problems when
        # not given).
        self.user = user
        grants = grants_for(user)
        roles = ACTION_ROLES[Action.CREATE] if create_roles is None else create_roles
        self.create_paths = [g.region_path for g in grants if g.role in roles and g.region_path]
        self.assign_paths = [
            g.region_path for g in grants if g.role in ACTION_ROLES[Action.ASSIGN] and g.region_path
        ]
        self.regions: dict[int, RegionEntry] = {}
        self._by_code: dict[str, int] = {}
        self._by_last_name: dict[str, list[int]] = defaultdict(list)
        self._sites: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self._teams: dict[str, list[int]] = defaultdict(list)
        self._units: dict[str, list[tuple[int, tuple[str, int | None, str]]]] = defaultdict(list)
        self.focus_areas: dict[str, int] = {}
        for area in FocusArea.objects.filter(active=True):
            self.focus_areas.setdefault(normalize(area.name), area.pk)
            self.focus_areas.setdefault(normalize(area.code), area.pk)
        self.urgencies = choice_map(Urgency)
        self.natures = choice_map(Nature)

    # --- loading the names of one file -------------------------------------------------

    def load(
        self,
        regions: set[str],
        sites: frozenset[str] | set[str] = frozenset(),
        teams: frozenset[str] | set[str] = frozenset(),
        units: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        self._load_regions(regions)
        visible_sites = Site.objects.visible_to(self.user)
        for names in _chunks(sites):
            for pk, name, path in visible_sites.filter(name__in=names).values_list(
                "pk", "name", "region__path"
            ):
                self._sites[name].append((pk, path))
        visible_teams = Team.objects.visible_to(self.user).filter(active=True)
        for names in _chunks(teams):
            for pk, name in visible_teams.filter(name__in=names).values_list("pk", "name"):
                if pk not in self._teams[name]:
                    self._teams[name].append(pk)
        visible_units = Org.objects.visible_to(self.user).filter(kind__in=UNIT_KINDS)
        for names in _chunks(units):
            for pk, name, path, parent, kind in visible_units.filter(name__in=names).values_list(
                "pk", "name", "path", "parent_id", "kind"
            ):
                self._units[name].append((pk, (path, parent, kind)))

    def _load_regions(self, texts: set[str]) -> None:
        codes = {text for text in texts if text.isdigit()}
        last_names = {path_segments(text)[-1] for text in texts - codes if path_segments(text)}
        visible = Org.objects.visible_to(self.user).regions()
        found: dict[int, str] = {}
        for chunk in _chunks(codes):
            for pk, path, code in visible.filter(code__in=chunk).values_list("pk", "path", "code"):
                found[pk] = path
                self._by_code[code] = pk
        for chunk in _chunks(last_names):
            for pk, path in visible.filter(name__in=chunk).values_list("pk", "path"):
                found[pk] = path
        needed = {pk for path in found.values() for pk in ancestor_ids(path)}
        names: dict[int, str] = {}
        for chunk in _chunks(needed):
            names.update(Org.objects.filter(pk__in=chunk).values_list("pk", "name"))
        for pk, path in found.items():
            entry = RegionEntry(pk, path, [names[i] for i in ancestor_ids(path)])
            self.regions[pk] = entry
            self._by_last_name[entry.names[-1]].append(pk)

    # --- answers for one row -------------------------------------------------------------

    def region(self, text: str) -> Found:
        if text.isdigit():
            pk = self._by_code.get(text)
            return self._creatable(pk) if pk else Found(code="region_not_found")
        segments = path_segments(text)
        if not segments:
            return Found(code="required")
        matches = [
            pk
            for pk in self._by_last_name.get(segments[-1], [])
            if self.regions[pk].names[-len(segments) :] == segments
        ]
        if not matches:
            return Found(code="region_not_found")
        if len(matches) > 1:
            example = min(self.regions[pk].full_name for pk in matches)
            return Found(code="region_ambiguous", params={"example": example})
        return self._creatable(matches[0])

    def _creatable(self, pk: int) -> Found:
        path = self.regions[pk].path
        if not any(path.startswith(prefix) for prefix in self.create_paths):
            return Found(code="region_not_yours")
        return Found(pk)

    def may_assign_in(self, region_pk: int) -> bool:
        path = self.regions[region_pk].path
        return any(path.startswith(prefix) for prefix in self.assign_paths)

    def site(self, name: str, region_pk: int) -> Found:
        region_path = self.regions[region_pk].path
        matches = [pk for pk, path in self._sites.get(name, []) if path.startswith(region_path)]
        return _one(matches, "site")

    def team(self, name: str) -> Found:
        return _one(self._teams.get(name, []), "team")

    def unit(self, name: str, region_pk: int) -> Found:
        # The units the problem pages offer for a problem of this region (交's own rule).
        region = self.regions[region_pk]
        matches = [pk for pk, unit in self._units.get(name, []) if lies_near(region.path, unit)]
        return _one(matches, "unit")


def _one(matches: list[int], kind: str) -> Found:
    if not matches:
        return Found(code=f"{kind}_not_found")
    if len(matches) > 1:
        return Found(code=f"{kind}_ambiguous")
    return Found(matches[0])


def creatable_condition(user: Any, field: str = "path", roles: frozenset[str] | None = None) -> Q:
    """Regions (or rows with a region path at `field`) where the user may record problems
    (or, given `roles`, where one of those roles of theirs applies)."""
    roles = ACTION_ROLES[Action.CREATE] if roles is None else roles
    condition = NOTHING
    for grant in grants_for(user):
        if grant.role in roles and grant.region_path:
            condition |= Q(**{f"{field}__startswith": grant.region_path})
    return condition
