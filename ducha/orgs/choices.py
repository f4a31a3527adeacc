from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    REGION = "region", _("Region")
    OFFICE = "office", _("Supervision office")
    DEPARTMENT = "department", _("Department")
    ENTERPRISE = "enterprise", _("State-owned enterprise")
    COMMAND = "command", _("Command HQ")
    DISCIPLINE = "discipline", _("Discipline body")
    POLICE = "police", _("Police")
    ORGANISATION = "organisation", _("Organisation department")


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    CITY = 2, _("City")
    COUNTY = 3, _("County / district")
    TOWN = 4, _("Town / street")
    VILLAGE = 5, _("Village / community")


# Field names on Org and Problem that carry the region ancestor at each level.
LEVEL_FIELDS = {
    RegionLevel.PROVINCE: "province",
    RegionLevel.CITY: "city",
    RegionLevel.COUNTY: "county",
    RegionLevel.TOWN: "town",
    RegionLevel.VILLAGE: "village",
}


def own_region(region_ids: tuple[int | None, ...]) -> tuple[int, int] | None:
    """(id, level) of the lowest region among an org's region ids, given from the province
    down: the region the org belongs to. None for an org outside every region."""
    for level in reversed(RegionLevel):
        region_id = region_ids[int(level) - 1]
        if region_id:
            return region_id, int(level)
    return None


class SiteKind(models.TextChoices):
    CHECKPOINT = "checkpoint", _("Checkpoint")
    TEST_SITE = "test_site", _("Test site")
    ISOLATION_SITE = "isolation_site", _("Isolation site")
    MARKET = "market", _("Market")
    PHARMACY = "pharmacy", _("Pharmacy")
    ENTERPRISE = "enterprise", _("Enterprise")
    CONSTRUCTION_SITE = "construction_site", _("Construction site")
    SCHOOL = "school", _("School")
    HOSPITAL = "hospital", _("Hospital")
    COMMUNITY = "community", _("Community")


class TeamKind(models.TextChoices):
    STATIONED = "stationed", _("Stationed team")
    JOINT = "joint", _("Joint team")
    SPECIAL = "special", _("Special team")
    COMPREHENSIVE = "comprehensive", _("Comprehensive team")
