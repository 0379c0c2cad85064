"""Department indicators per month (issue 16 §1): a registry of small
functions (`registry`), one module per source of data."""

import importlib

_MODULES = ("intake", "completeness", "quality", "sanctions", "rights", "campaigns")


def load() -> None:
    for name in _MODULES:
        importlib.import_module(f"xinyong.oversight.indicators.{name}")
