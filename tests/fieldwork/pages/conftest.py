import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image


@pytest.fixture(autouse=True)
def _default_language():
    # The pages must come out in zh-Hans unless the user picks another language.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded photos go to a directory of the test's own."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


def photo(name: str = "photo.png", color=(200, 30, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def fw_second_team(world):
    """Another team of the county office, so two teams can meet at the same site."""
    from ducha.accounts.models import User
    from ducha.orgs.models import Team
    from tests.world import PASSWORD

    member = User.objects.create_user("town_team_member", password=PASSWORD, name="镇督查组组员")
    team = Team.objects.create(
        name="水泉沟镇专项督查组", kind="special", dispatched_by=world.orgs["county_office"]
    )
    team.members.add(member)
    team.regions.add(world.orgs["town"])
    from ducha.accounts.models import Membership

    Membership.objects.create(user=member, org=world.orgs["county_office"], role="team_member")
    world.users["town_team_member"] = member
    world.teams["town_team"] = team
    return team
