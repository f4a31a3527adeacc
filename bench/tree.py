"""The synthetic national tree: regions, the bodies inside them, sites, teams and users.

Ids are allocated here rather than by the database so the whole tree can be written with a
few bulk inserts; each org's path, depth and level ids come from the model's own
`Org._derive_tree_fields`, so they match what `Org.save` would have stored.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import models

from ducha.accounts.choices import Role
from ducha.accounts.models import Membership, User
from ducha.orgs.choices import OrgKind, RegionLevel, SiteKind, TeamKind
from ducha.orgs.models import Org, Site, Team

DEPARTMENTS = ["卫健局", "市场监管局", "交通运输局", "教育局", "应急管理局", "住建局"]
TOWN_SITE_KINDS = [SiteKind.CHECKPOINT, SiteKind.MARKET, SiteKind.COMMUNITY, SiteKind.PHARMACY]
COUNTY_SITE_KINDS = [SiteKind.HOSPITAL, SiteKind.ISOLATION_SITE, SiteKind.SCHOOL]
SITES_PER_TOWN = 2
# Share of problems recorded against a county itself (its hospitals, schools) rather than
# against one of its towns.
COUNTY_LEVEL_SHARE = 0.1
# Share of a town's problems found in one of its villages, when it has villages.
VILLAGE_SHARE = 0.3

Levels = tuple[int | None, int | None, int | None, int | None, int | None]


@dataclass(frozen=True)
class TreeSize:
    provinces: int = 34
    cities: int = 330
    counties: int = 2800
    towns: int = 40000
    villages: int = 0


@dataclass
class CountyUnits:
    """What a problem found in a county needs: who records it, who fixes it, who finds it."""

    departments: list[tuple[int, str]]
    recorder_id: int
    handler_id: int
    team_ids: tuple[int, int, int]  # county team, city team, province team
    city_office: tuple[int, str]


@dataclass
class Place:
    """A region where problems are found, with its sites and its weight in the sample."""

    region_id: int
    levels: Levels
    site_ids: list[int]
    county: CountyUnits
    weight: float


@dataclass
class Tree:
    places: list[Place] = field(default_factory=list)


class Ids:
    """Next free primary key per model, starting above whatever the table already holds."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model]) -> int:
        if model not in self._next:
            top = model._default_manager.aggregate(top=models.Max("pk"))["top"]
            self._next[model] = (top or 0) + 1
        value = self._next[model]
        self._next[model] = value + 1
        return value


def spread(total: int, parents: int, rng: random.Random, minimum: int = 1) -> list[int]:
    """Split `total` children over `parents` unevenly, each parent getting at least `minimum`."""
    if total < parents * minimum:
        raise SystemExit(f"cannot spread {total} children over {parents} parents")
    weights = [rng.uniform(0.5, 1.5) for _ in range(parents)]
    scale = total / sum(weights)
    counts = [max(minimum, int(w * scale)) for w in weights]
    missing = total - sum(counts)
    while missing > 0:
        counts[rng.randrange(parents)] += 1
        missing -= 1
    while missing < 0:
        index = rng.randrange(parents)
        if counts[index] > minimum:
            counts[index] -= 1
            missing += 1
    return counts


class TreeBuilder:
    def __init__(self, size: TreeSize, rng: random.Random) -> None:
        self.size = size
        self.rng = rng
        self.ids = Ids()
        self.orgs: list[Org] = []
        self.sites: list[Site] = []
        self.teams: list[Team] = []
        self.team_regions: list[tuple[int, int]] = []
        self.users: list[User] = []
        self.memberships: list[Membership] = []
        self.tree = Tree()

    def org(
        self, parent: Org | None, kind: str, name: str, level: int | None = None, code: str = ""
    ) -> Org:
        org = Org(id=self.ids.take(Org), kind=kind, name=name, level=level, code=code)
        org.parent = parent
        # The same derivation Org.save runs after its first write, done in memory.
        org._derive_tree_fields()
        self.orgs.append(org)
        return org

    def region(self, parent: Org | None, level: RegionLevel, name: str, code: str) -> Org:
        return self.org(parent, OrgKind.REGION, name, int(level), code)

    def user(self, username: str, name: str, org: Org, role: str) -> User:
        # One unusable hash shared by all: these accounts never log in.
        user = User(id=self.ids.take(User), username=username, name=name, password=self._pw)
        self.users.append(user)
        self.memberships.append(Membership(user_id=user.pk, org_id=org.pk, role=role))
        return user

    def team(self, name: str, kind: str, office: Org, region: Org) -> int:
        team = Team(id=self.ids.take(Team), name=name, kind=kind, dispatched_by_id=office.pk)
        self.teams.append(team)
        self.team_regions.append((team.pk, region.pk))
        return team.pk

    def site(self, region: Org, kind: str, number: int) -> int:
        label = SiteKind(kind).label
        site = Site(
            id=self.ids.take(Site),
            name=f"{region.name}{label}{number}",
            kind=kind,
            region_id=region.pk,
            address=f"{region.name}第{number}号",
        )
        site.copy_levels_from(region)
        self.sites.append(site)
        return site.pk

    def build(self) -> Tree:
        self._pw = make_password(None)
        size, rng = self.size, self.rng
        cities = spread(size.cities, size.provinces, rng)
        counties = spread(size.counties, size.cities, rng)
        towns = spread(size.towns, size.counties, rng)
        villages = spread(size.villages, size.towns, rng, 0) if size.villages else []
        city_index = county_index = town_index = 0
        for p in range(size.provinces):
            p_code = f"{11 + p:02d}"
            province = self.region(None, RegionLevel.PROVINCE, f"模拟{p_code}省", p_code + "0000")
            p_office = self.org(province, OrgKind.OFFICE, f"{province.name}大督查办")
            # A province office's user: the province-wide lists and dashboards (bench.served).
            self.user(
                f"bench_prov_{p_code}", f"{province.name}督查办干部", p_office, Role.OFFICE_STAFF
            )
            self.org(province, OrgKind.COMMAND, f"{province.name}疫情防控指挥部")
            p_team = self.team(f"{province.name}督查组", TeamKind.COMPREHENSIVE, p_office, province)
            for c in range(1, cities[p] + 1):
                c_code = f"{p_code}{c:02d}"
                city = self.region(province, RegionLevel.CITY, f"模拟{c_code}市", c_code + "00")
                c_office = self.org(city, OrgKind.OFFICE, f"{city.name}大督查办")
                self.org(city, OrgKind.COMMAND, f"{city.name}疫情防控指挥部")
                stationed = self.team(f"省驻{city.name}督查组", TeamKind.STATIONED, p_office, city)
                for d in range(1, counties[city_index] + 1):
                    units = self._county(city, c_office, f"{c_code}{d:02d}", (p_team, stationed))
                    n_towns = towns[county_index]
                    self._towns(units[0], units[1], n_towns, villages, town_index)
                    town_index += n_towns
                    county_index += 1
                city_index += 1
        return self.tree

    def _county(
        self, city: Org, city_office: Org, code: str, upper_teams: tuple[int, int]
    ) -> tuple[Org, CountyUnits]:
        county = self.region(city, RegionLevel.COUNTY, f"模拟{code}县", code)
        office = self.org(county, OrgKind.OFFICE, f"{county.name}督查办")
        self.org(county, OrgKind.DISCIPLINE, f"{county.name}纪委监委")
        departments = [
            self.org(county, OrgKind.DEPARTMENT, f"{county.name}{name}") for name in DEPARTMENTS
        ]
        recorder = self.user(
            f"bench_rec_{code}", f"{county.name}督查办干部", office, Role.OFFICE_STAFF
        )
        handler = self.user(
            f"bench_unit_{code}", f"{departments[0].name}经办人", departments[0], Role.UNIT_HANDLER
        )
        team = self.team(f"{county.name}联合督查组", TeamKind.JOINT, office, county)
        units = CountyUnits(
            departments=[(d.pk, d.name) for d in departments],
            recorder_id=recorder.pk,
            handler_id=handler.pk,
            team_ids=(team, upper_teams[1], upper_teams[0]),
            city_office=(city_office.pk, city_office.name),
        )
        return county, units

    def _towns(
        self, county: Org, units: CountyUnits, count: int, villages: list[int], first: int
    ) -> None:
        county_weight = self.rng.lognormvariate(0, 0.6)
        county_sites = [
            self.site(county, kind, n) for n, kind in enumerate(COUNTY_SITE_KINDS, start=1)
        ]
        town_total = 0.0
        for t in range(1, count + 1):
            code = f"{county.code}{t:03d}"
            town = self.region(county, RegionLevel.TOWN, f"模拟{code}镇", code)
            weight = county_weight * self.rng.lognormvariate(0, 0.5)
            town_total += weight
            kinds = self.rng.sample(TOWN_SITE_KINDS, SITES_PER_TOWN)
            sites = [self.site(town, kind, n) for n, kind in enumerate(kinds, start=1)]
            n_villages = villages[first + t - 1] if villages else 0
            town_weight = weight * (1 - VILLAGE_SHARE) if n_villages else weight
            self._place(town, sites, units, town_weight)
            for v in range(1, n_villages + 1):
                v_code = f"{code}{v:03d}"
                village = self.region(town, RegionLevel.VILLAGE, f"模拟{v_code}村", v_code)
                self._place(village, sites, units, weight * VILLAGE_SHARE / n_villages)
        share = COUNTY_LEVEL_SHARE / (1 - COUNTY_LEVEL_SHARE)
        self._place(county, county_sites, units, town_total * share)

    def _place(self, region: Org, sites: list[int], units: CountyUnits, weight: float) -> None:
        levels: Levels = (
            region.province_id,
            region.city_id,
            region.county_id,
            region.town_id,
            region.village_id,
        )
        self.tree.places.append(Place(region.pk, levels, sites, units, weight))

    def region_count(self) -> int:
        return sum(1 for org in self.orgs if org.kind == OrgKind.REGION)

    def save(self) -> dict[str, int]:
        """Write the tree in dependency order; returns row counts per table."""
        batch = 5000
        Org.objects.bulk_create(self.orgs, batch_size=batch)
        User.objects.bulk_create(self.users, batch_size=batch)
        Membership.objects.bulk_create(self.memberships, batch_size=batch)
        Site.objects.bulk_create(self.sites, batch_size=batch)
        Team.objects.bulk_create(self.teams, batch_size=batch)
        through = Team.regions.through
        through.objects.bulk_create(
            (through(team_id=team, org_id=org) for team, org in self.team_regions),
            batch_size=batch,
        )
        return {
            "regions": self.region_count(),
            "orgs": len(self.orgs),
            "sites": len(self.sites),
            "teams": len(self.teams),
            "users": len(self.users),
            "memberships": len(self.memberships),
        }


def models_written() -> Iterable[type[models.Model]]:
    return (Org, User, Membership, Site, Team, Team.regions.through)
