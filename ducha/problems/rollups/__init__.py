"""Rollup tables: what every problem counts in, and the write path the actions keep them by.

The dashboards that read them are ducha.reports, a layer above (docs/decisions/0013-layers.md).
"""
