from tests.reportforms.collection_world import villages  # noqa: F401
