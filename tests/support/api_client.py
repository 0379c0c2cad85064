"""A client for the API over a real HTTP server: JSON in and out."""

import json
import urllib.error
import urllib.request


def call(url, *, token=None, body=None, method="POST"):
    """(status, decoded JSON body); an error status answers its body too."""
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())
