"""The static files storage of a deployment (`DUCHA_MANIFEST_STATIC=1`).

WhiteNoise's: collectstatic gives every file its content's hash in its name and writes a `.gz`
beside it, which nginx sends as is (`gzip_static`, deploy/nginx/ducha.conf).
"""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns: Any) -> Any:
    def keep(pattern: str | tuple[str, str]) -> bool:
        regex = pattern[0] if isinstance(pattern, tuple) else pattern
        return "sourceMappingURL" not in regex

    return tuple((glob, tuple(filter(keep, found))) for glob, found in patterns)


class HashedCompressedStorage(CompressedManifestStaticFilesStorage):
    """Hashed names and .gz files. The vendored libraries (Bootstrap) name source maps that
    are not shipped; rewriting those names would stop collectstatic, so they are left as
    written (only a browser's developer tools ever ask for them)."""

    patterns = _without_source_maps(ManifestStaticFilesStorage.patterns)
