from tests.api.conftest import api_as  # noqa: F401  (the fixture, for this directory's tests)
