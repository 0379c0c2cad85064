"""`xinyong check QUERY [--domain CODE] [--json]`."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from lists.factories import ListEntryFactory
from sanctions.factories import COMPANY_USCC, PERSON_ID
from xinyong.core.models import AuditLog
from xinyong.lists.models import ListType
from xinyong.sanctions.models import Check

pytestmark = pytest.mark.django_db


def check(*args):
    out = io.StringIO()
    call_command("check", *args, stdout=out)
    return out.getvalue().splitlines()


def test_text_output_ends_with_hits(company, company_on_sxbzx):
    lines = check(COMPANY_USCC, "--domain", "ZFCG")
    assert lines[-1] == "hits=1"
    text = "\n".join(lines)
    assert "失信被执行人名单（黑名单）" in text and "统一社会信用代码" in text
    assert "限制参加政府采购活动" in text and "强制性" in text
    check_row = Check.objects.get()
    assert check_row.channel == "cli" and check_row.domain.code == "ZFCG"
    assert AuditLog.objects.filter(action="check.run", actor_label__startswith="命令行").exists()


def test_json_output(company, company_on_sxbzx):
    lines = check(company.name, "--json")
    assert lines[-1] == "hits=1" and len(lines) == 2
    body = json.loads(lines[0])
    assert set(body) >= {"check_id", "query", "hits"}
    assert body["hits"][0]["needs_review"] is True  # by name only


def test_a_fragment_hits_nothing(company, company_on_sxbzx):
    assert check("神农架林区")[-1] == "hits=0"


def test_a_person_is_masked(person):
    ListEntryFactory(list_type=ListType.objects.get(code="TQNMGGZ"), subject=person)
    lines = check(PERSON_ID, "--json")
    assert lines[-1] == "hits=1" and PERSON_ID not in "\n".join(lines)


def test_unknown_domain_and_malformed_code_are_errors_without_traceback(company):
    with pytest.raises(CommandError, match="可选"):
        check(COMPANY_USCC, "--domain", "XX")
    with pytest.raises(CommandError, match="校验"):
        check("91110000600037341X")


def test_without_a_query_it_is_djangos_system_check():
    out = io.StringIO()
    call_command("check", stdout=out)
    assert "System check identified no issues" in out.getvalue()
    out = io.StringIO()
    call_command("check", "sanctions", "--tag", "models", stdout=out)
    assert "no issues" in out.getvalue()
    assert not Check.objects.exists()
