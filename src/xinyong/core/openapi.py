"""The API's OpenAPI document as committed in `docs/openapi.json`.

`xinyong openapi` prints it; `tests/api/test_openapi_snapshot.py` fails when
the API changes and the committed file does not.
"""

import json
from typing import Any

from django.urls import resolve, reverse

# The URL name django-ninja gives the document of the API mounted with
# `urls_namespace="api"` (`/api/v1/openapi.json`).
OPENAPI_URL_NAME = "api:openapi-json"


def openapi_document() -> dict[str, Any]:
    """The document `/api/v1/openapi.json` serves.

    The API is found through the URL map, as a request finds it: `core` sits
    below `xinyong.api` in the layers and does not import it."""
    view = resolve(reverse(OPENAPI_URL_NAME)).func
    api = view.keywords["api"]  # type: ignore[attr-defined]  # ninja's functools.partial
    document: dict[str, Any] = api.get_openapi_schema()
    return document


def openapi_text(document: dict[str, Any]) -> str:
    """Stable text for a diff: sorted keys, two-space indent, Chinese as written."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
