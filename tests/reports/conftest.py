from tests.api.conftest import anonymous, api_as, token_as  # noqa: F401
