"""The org tree: regions and the bodies inside them, sites, and supervision teams.

The tree is a materialised path (see docs/decisions/0001-org-tree.md). Every org also carries
the id of its region ancestor at each administrative level, so that anything located in a
region (a problem, a site) can copy those ids and be scoped by one indexed equality.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from ducha.orgs.choices import LEVEL_FIELDS, OrgKind, RegionLevel, SiteKind, TeamKind, own_region
from ducha.orgs.natural import natural_key, tree_segment
from ducha.orgs.querysets import OrgQuerySet, SiteQuerySet, TeamQuerySet


def level_key(*, db_index: bool = True) -> models.ForeignKey:
    """The region ancestor at one level. A table whose composite indexes lead with the level
    (problems) passes db_index=False: a single-column index would only cost its inserts."""
    return models.ForeignKey(
        "orgs.Org",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=db_index,
    )


class RegionLevels(models.Model):
    """Abstract: the region ancestors of a row at each level (self included for regions)."""

    province = level_key()
    city = level_key()
    county = level_key()
    town = level_key()
    village = level_key()

    class Meta:
        abstract = True

    def copy_levels_from(self, region: Org) -> None:
        for field in LEVEL_FIELDS.values():
            setattr(self, f"{field}_id", getattr(region, f"{field}_id"))


class Org(RegionLevels):
    kind = models.CharField(_("kind"), max_length=16, choices=OrgKind.choices)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Administrative division code (GB/T 2260 style) for regions, where known.
    code = models.CharField(_("code"), max_length=12, blank=True, default="", db_index=True)
    level = models.PositiveSmallIntegerField(
        _("level"), choices=RegionLevel.choices, null=True, blank=True
    )
    # "/1/7/42/": ids from the root down to and including this org.
    path = models.CharField(max_length=255, editable=False, default="", db_index=True)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    # The path again, each step 13 digits written so that string order is administrative
    # order: regions by code, then the bodies (ducha.orgs.natural). Lists order by it.
    tree_order = models.CharField(max_length=255, editable=False, default="", db_index=True)
    # Everyone holding a role in this org or below logs in with a second factor.
    two_factor_required = models.BooleanField(
        _("two-factor login required"),
        default=False,
        help_text=_(
            "Everyone with a role in this organisation or below it must log in with a "
            "second factor."
        ),
    )
    # An office that wants it has the escalation ladder issue a numbered 催办通知书 in its
    # name with each overdue reminder of a problem it assigned.
    urge_notices = models.BooleanField(
        _("issue urge notices"),
        default=False,
        help_text=_(
            "Offices only: when a problem this office assigned passes its deadline, the "
            "automatic reminder comes with a numbered urge notice (催办通知书) in its name."
        ),
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["tree_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind=OrgKind.REGION, level__isnull=False)
                    | (~models.Q(kind=OrgKind.REGION) & models.Q(level__isnull=True))
                ),
                name="org_level_only_for_regions",
            ),
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="org_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.pk and self.children.exists():
            old_parent = type(self).objects.values_list("parent_id", flat=True).get(pk=self.pk)
            if old_parent != self.parent_id:
                # Descendants, sites and problems carry this org's path and levels.
                raise ValidationError({"parent": _("An org with children cannot be moved.")})
        with transaction.atomic():
            # The path needs our own id, so new rows are written twice.
            super().save(*args, **kwargs)
            old_order = self.tree_order
            self._derive_tree_fields()
            type(self).objects.filter(pk=self.pk).update(
                path=self.path,
                depth=self.depth,
                tree_order=self.tree_order,
                **{f"{f}_id": getattr(self, f"{f}_id") for f in LEVEL_FIELDS.values()},
            )
            if old_order and old_order != self.tree_order:
                self._reorder_descendants()

    @property
    def is_region(self) -> bool:
        return self.kind == OrgKind.REGION

    @property
    def region(self) -> Org | None:
        """The nearest region at or above this org (the jurisdiction it belongs to)."""
        for level in reversed(RegionLevel):
            region_id = getattr(self, f"{LEVEL_FIELDS[level]}_id")
            if region_id:
                return self if region_id == self.pk else Org.objects.get(pk=region_id)
        return None

    @property
    def region_id_and_level(self) -> tuple[int, int] | None:
        return own_region(
            tuple(getattr(self, f"{LEVEL_FIELDS[level]}_id") for level in RegionLevel)
        )

    def clean(self) -> None:
        parent = self.parent
        if self.is_region:
            if self.level is None:
                raise ValidationError({"level": _("A region needs a level.")})
            if parent is not None and (not parent.is_region or (parent.level or 0) >= self.level):
                raise ValidationError(
                    {"parent": _("A region's parent must be a region of a higher level.")}
                )
        elif parent is None:
            raise ValidationError({"parent": _("Only a region can be the root of the tree.")})

    def _reorder_descendants(self) -> None:
        # A region's code changed: every step below it starts with the old one.
        below = type(self).objects.filter(path__startswith=self.path).exclude(pk=self.pk)
        orders: dict[int | None, str] = {self.pk: self.tree_order}
        for org in below.order_by("depth").only("pk", "parent_id", "kind", "code"):
            orders[org.pk] = orders[org.parent_id] + org.tree_step
            type(self).objects.filter(pk=org.pk).update(tree_order=orders[org.pk])

    @property
    def tree_step(self) -> str:
        return tree_segment(pk=self.pk, is_region=self.is_region, code=self.code)

    def _derive_tree_fields(self) -> None:
        parent = self.parent
        self.tree_order = (parent.tree_order if parent else "") + self.tree_step
        if parent is None:
            self.path, self.depth = f"/{self.pk}/", 0
            for field in LEVEL_FIELDS.values():
                setattr(self, f"{field}_id", None)
        else:
            self.path, self.depth = f"{parent.path}{self.pk}/", parent.depth + 1
            self.copy_levels_from(parent)
        if self.is_region and self.level:
            setattr(self, f"{LEVEL_FIELDS[RegionLevel(self.level)]}_id", self.pk)


class Site(RegionLevels):
    """点位: a place that teams inspect."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=SiteKind.choices)
    region = models.ForeignKey(
        Org,
        models.PROTECT,
        related_name="sites",
        verbose_name=_("region"),
        limit_choices_to={"kind": OrgKind.REGION},
    )
    address = models.CharField(_("address"), max_length=300, blank=True, default="")

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.copy_levels_from(self.region)
        super().save(*args, **kwargs)


class Team(models.Model):
    """督查组: dispatched by an office (or discipline body) to cover some regions."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=TeamKind.choices)
    dispatched_by = models.ForeignKey(
        Org, models.PROTECT, related_name="teams", verbose_name=_("dispatched by")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("leader"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="teams", verbose_name=_("members")
    )
    regions = models.ManyToManyField(
        Org,
        related_name="covering_teams",
        verbose_name=_("regions covered"),
        limit_choices_to={"kind": OrgKind.REGION},
    )
    active = models.BooleanField(_("active"), default=True)
    # The name in natural order (第二组 before 第十组), kept by save(): lists order by it.
    sort_key = models.CharField(max_length=255, editable=False, default="", db_index=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["sort_key", "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.sort_key = natural_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)
