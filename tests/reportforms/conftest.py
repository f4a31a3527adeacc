from tests.api.conftest import anonymous, api_as, token_as  # noqa: F401
from tests.reportforms.collection_world import merged, villages  # noqa: F401
