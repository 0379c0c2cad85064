"""`xinyong catalog`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from xinyong.catalog.models import CatalogItem
from xinyong.lists.models import ListType

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("catalog", *args, stdout=out)
    return out.getvalue()


def test_lists_items(xzcf):
    output = run()
    lines = output.splitlines()
    assert lines[0].split() == [
        "编码",
        "名称",
        "类别",
        "性质",
        "公开属性",
        "当前版本",
        "报送部门数",
        "状态",
    ]
    xzcf_line = next(line for line in lines if line.startswith("XZCF"))
    assert xzcf_line.split() == [
        "XZCF",
        "行政处罚",
        "行政处罚",
        "失信（负面）",
        "公开",
        "v1",
        "1",
        "启用",
    ]
    qjsb_line = next(line for line in lines if line.startswith("QJSB"))
    assert "政务共享" in qjsb_line and "0" in qjsb_line.split()
    # 5 of the catalog, 违背信用承诺 (rights, issue 14) and 10 of 政务诚信 and 个人诚信 (issue 16).
    assert "共 16 个目录事项。" in output


def test_shows_one_item_with_fields_and_versions(xzcf):
    output = run("xzcf")
    assert output.startswith("XZCF 行政处罚\n")
    assert "报送部门：林区市场监督管理局" in output
    assert "公示时限：7 个工作日" in output
    assert "行政相对人代码_1（统一社会信用代码）" in output and "subject_uscc" in output
    assert "处罚类别：警告、通报批评" in output
    assert "v1（当前）" in output and "31 个字段" in output and "内置目录事项" in output


def test_unknown_item_is_an_error():
    with pytest.raises(CommandError, match="目录事项“NOPE”不存在"):
        run("NOPE")


def test_load_builtin_is_idempotent():
    output = run("load-builtin")
    assert "新建代码表 0 个、目录事项 0 个" in output
    assert "已存在未改动的代码表 9 个、目录事项 6 个" in output
    # The list type it feeds protects it (lists.ListType.feed_item): that goes first.
    ListType.objects.filter(feed_item__code="SXBZX").delete()
    CatalogItem.objects.filter(code="SXBZX").update(current_version=None)
    CatalogItem.objects.get(code="SXBZX").versions.all().delete()
    CatalogItem.objects.filter(code="SXBZX").delete()
    output = run("load-builtin")
    assert "新建目录事项：SXBZX" in output
    assert CatalogItem.objects.get(code="SXBZX").current_version.number == 1
