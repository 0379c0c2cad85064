"""`xinyong openapi`: print the API's OpenAPI document (`./dev openapi` writes it to
docs/openapi.json)."""

from typing import Any

from django.core.management.base import BaseCommand

from xinyong.core.openapi import openapi_document, openapi_text


class Command(BaseCommand):
    help = "打印接口的 OpenAPI 文档（JSON，键已排序），即 docs/openapi.json 的内容"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(openapi_text(openapi_document()), ending="")
