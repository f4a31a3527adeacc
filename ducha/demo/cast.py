"""The demo's registry: orgs, sites, teams and people, each under a short ASCII key.

Keys double as usernames where an account belongs to one org: the staff of an office and
the handler of a unit are named after it (`chengdu.office`, `chengdu.sancha`), so a demo
visitor can guess whom to log in as.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission

from ducha.accounts.choices import Role
from ducha.accounts.models import Membership, User
from ducha.orgs.choices import OrgKind, RegionLevel
from ducha.orgs.models import Org, Site, Team
from ducha.problems.models import FocusArea

PASSWORD = "ducha-demo-2026"


class Cast:
    def __init__(self) -> None:
        # One hash for every account: they share the documented demo password, and hashing
        # it once keeps the load fast.
        self.password_hash = make_password(PASSWORD)
        self.orgs: dict[str, Org] = {}
        self.org_keys: dict[int, str] = {}
        self.users: dict[str, User] = {}
        self.teams: dict[str, Team] = {}
        self.sites: dict[str, Site] = {}
        self.handler_names: dict[str, str] = {}
        # Set when an account named "admin" existed before the load and was left alone.
        self.admin_kept = False
        self.focus = {area.code: area for area in FocusArea.objects.all()}

    # Orgs -------------------------------------------------------------------------------

    def region(self, key: str, name: str, level: RegionLevel, parent: str | None, code=""):
        org = Org.objects.create(
            kind=OrgKind.REGION,
            name=name,
            level=level,
            parent=self.orgs[parent] if parent else None,
            code=code,
        )
        return self._keep(key, org)

    def org(self, key: str, kind: OrgKind, name: str, parent: str) -> Org:
        return self._keep(key, Org.objects.create(kind=kind, name=name, parent=self.orgs[parent]))

    def office(self, key: str, name: str, parent: str, staff: str) -> Org:
        """An office and its staff account, named after the office's key."""
        office = self.org(key, OrgKind.OFFICE, name, parent)
        self.person(key, staff, key, Role.OFFICE_STAFF)
        return office

    def _keep(self, key: str, org: Org) -> Org:
        if key in self.orgs:
            raise ValueError(f"duplicate org key {key}")
        self.orgs[key] = org
        self.org_keys[org.pk] = key
        return org

    # People -----------------------------------------------------------------------------

    def person(
        self,
        username: str,
        name: str,
        org: str | None = None,
        role: Role | None = None,
        *,
        superuser: bool = False,
    ) -> User:
        user = self.users.get(username)
        if user is None:
            user = User(
                username=username,
                name=name,
                password=self.password_hash,
                is_staff=superuser,
                is_superuser=superuser,
            )
            user.save()
            self.users[username] = user
        if org and role:
            Membership.objects.get_or_create(user=user, org=self.orgs[org], role=role)
        return user

    def may_use_admin_site(self, username: str) -> None:
        """A system administrator's rights in the admin site: the org tree, accounts and
        memberships, offices' letterheads, and reading the shared catalogue of focus areas.
        Nothing of the loop (三员分立); the admin also scopes the rows."""
        user = self.users[username]
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        # Tokens and the audit trail are the security and audit administrators'.
        rights = Permission.objects.filter(content_type__app_label="orgs")
        rights |= Permission.objects.filter(
            content_type__app_label="accounts", content_type__model__in=["user", "membership"]
        )
        rights |= Permission.objects.filter(content_type__model="letterhead")
        rights |= Permission.objects.filter(codename="view_focusarea")
        user.user_permissions.set(rights)

    def handles(self, org: str, username: str, name: str) -> User:
        """Name the account that rectifies what is assigned to `org`."""
        self.handler_names[org] = username
        return self.person(username, name, org, Role.UNIT_HANDLER)

    def handler(self, org_key: str) -> User:
        """The handler of a unit; units without a named one get `<unit key>` on first use."""
        username = self.handler_names.get(org_key, org_key)
        org = self.orgs[org_key]
        user = self.person(username, f"{org.name}经办人", org_key, Role.UNIT_HANDLER)
        self.handler_names[org_key] = username
        return user

    # Places and teams -------------------------------------------------------------------

    def site(self, key: str, name: str, kind: str, region: str, address: str = "") -> Site:
        site = Site.objects.create(name=name, kind=kind, region=self.orgs[region], address=address)
        self.sites[key] = site
        return site

    def team(
        self,
        key: str,
        name: str,
        kind: str,
        dispatched_by: str,
        regions: list[str],
        leader: tuple[str, str],
    ) -> Team:
        username, person_name = leader
        user = self.person(username, person_name, dispatched_by, Role.TEAM_MEMBER)
        team = Team.objects.create(
            name=name, kind=kind, dispatched_by=self.orgs[dispatched_by], leader=user
        )
        team.members.add(user)
        team.regions.add(*(self.orgs[region] for region in regions))
        self.teams[key] = team
        return team
