"""The committed OpenAPI document (`docs/openapi.json`) is the API's contract:
a change to the API must come with the regenerated file, reviewed in the diff."""

import json
from pathlib import Path

from django.core.management import call_command

from xinyong.core.openapi import openapi_document, openapi_text

SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
REGENERATE = "./dev openapi  (or: xinyong openapi > docs/openapi.json)"
ERROR_KEYS = {"code", "message", "details"}


def test_snapshot_matches_the_api():
    current = openapi_text(openapi_document())
    committed = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
    assert current == committed, (
        f"The API changed but docs/openapi.json did not. Regenerate it with `{REGENERATE}`, "
        "review the diff and commit it."
    )


def test_command_prints_the_snapshot_text(capsys):
    call_command("openapi")
    assert capsys.readouterr().out == openapi_text(openapi_document())


def test_snapshot_is_stable_text():
    text = SNAPSHOT.read_text(encoding="utf-8")
    assert text == openapi_text(json.loads(text))


def _resolve(document, schema):
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def _examples(response, schema):
    """Every example a response declares, wherever OpenAPI lets it be written."""
    content = response.get("content", {}).get("application/json", {})
    found = []
    for holder in (content, schema):
        if "example" in holder:
            found.append(holder["example"])
        examples = holder.get("examples", [])
        values = examples.values() if isinstance(examples, dict) else examples
        found.extend(
            e.get("value", e) if isinstance(e, dict) and "value" in e else e for e in values
        )
    return found


def _error_responses(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    yield f"{method.upper()} {path} {status}", response


def _shape_problems(document):
    """Where an error response is not `{"code", "message", "details"}`, or an example of
    it (if the code declares one) has other keys."""
    problems = []
    for where, response in _error_responses(document):
        schema = _resolve(document, response["content"]["application/json"]["schema"])
        if set(schema.get("properties", {})) != ERROR_KEYS or not {"code", "message"} <= set(
            schema.get("required", [])
        ):
            problems.append(f"{where}: schema {sorted(schema.get('properties', {}))}")
        for example in _examples(response, schema):
            if not isinstance(example, dict) or set(example) != ERROR_KEYS:
                problems.append(f"{where}: example {example!r}")
            elif not (isinstance(example["code"], str) and isinstance(example["message"], str)):
                problems.append(f"{where}: example {example!r}")
    return problems


def test_every_documented_error_has_the_one_error_shape():
    document = openapi_document()
    assert list(_error_responses(document)), "the API documents no error response at all"
    assert _shape_problems(document) == []


def test_the_shape_check_catches_a_wrong_example_and_schema():
    document = openapi_document()
    where, response = next(_error_responses(document))
    content = response["content"]["application/json"]
    content["example"] = {"error": "x"}
    assert _shape_problems(document) == [f"{where}: example {{'error': 'x'}}"]
    content["examples"] = {"ok": {"value": {"code": "c", "message": "m", "details": {}}}}
    assert _shape_problems(document) == [f"{where}: example {{'error': 'x'}}"]
    del content["example"]
    content["schema"] = {"type": "object", "properties": {"error": {"type": "string"}}}
    assert _shape_problems(document) == [f"{where}: schema ['error']"]
