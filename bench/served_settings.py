"""The production settings with one more URL, the minimal view `bench.served` compares with.

Only the benchmark uses this module (DJANGO_SETTINGS_MODULE=bench.served_settings); the
project's own URLs stay as they are.
"""

from ducha.settings import *  # noqa: F403

ROOT_URLCONF = "bench.served_urls"
