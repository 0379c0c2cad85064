"""`xinyong codes check CODE…`: one line per code, exit codes, usage errors."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xinyong.core.identifiers import uscc_with_checks


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("codes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("codes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), exc.value.code


def test_valid_uscc_prints_its_parts():
    out, err = run("check", "91110000600037341L")
    assert out == "91110000600037341L ok 工商/市场监管 · 企业 · 北京市\n"
    assert err == ""


def test_every_domain_example_is_ok():
    out, _err = run(
        "check",
        "91110000600037341L",
        "91350200776049653A",
        "9135021359498494XQ",
        "91440101MA5CJQ4N59",
        "123502001549897397",
    )
    assert out.splitlines() == [
        "91110000600037341L ok 工商/市场监管 · 企业 · 北京市",
        "91350200776049653A ok 工商/市场监管 · 企业 · 福建省厦门市",
        "9135021359498494XQ ok 工商/市场监管 · 企业 · 福建省厦门市翔安区",
        "91440101MA5CJQ4N59 ok 工商/市场监管 · 企业 · 广东省广州市",
        "123502001549897397 ok 机构编制 · 事业单位 · 福建省厦门市",
    ]


def test_letter_prefixed_codes_are_ok():
    rural = uscc_with_checks("N2429021" + "12345678")
    out, _err = run("check", rural)
    assert out == f"{rural} ok 农业 · 村级集体经济组织 · 湖北省神农架林区\n"


def test_messy_input_is_printed_normalised():
    out, _err = run("check", "\u3000９１１１００００６０００３７３４１ｌ ")
    assert out == "91110000600037341L ok 工商/市场监管 · 企业 · 北京市\n"


def test_other_kinds_name_their_kind():
    out, _err = run("check", "11010519491231002x", "110000000000017", "60003734-1")
    assert out.splitlines() == [
        "11010519491231002X ok 居民身份证号码 · 北京市朝阳区 · 1949-12-31 · 女",
        "110000000000017 ok 工商注册号 · 北京市",
        "600037341 ok 组织机构代码",
    ]


def test_invalid_code_prints_all_reasons_and_exits_1():
    out, err, code = run_failing("check", "91110000600037341L", "91110000600037351L")
    assert code == 1
    assert out.splitlines() == [
        "91110000600037341L ok 工商/市场监管 · 企业 · 北京市",
        "91110000600037351L error 第17位（组织机构代码校验位）应为“X”，实为“1”；"
        "第18位校验码应为“M”，实为“L”",
    ]
    assert err == "1个代码无效（共2个）\n"


def test_wrong_check_character_line():
    out, _err, code = run_failing("check", "91110000600037341X")
    assert (out, code) == ("91110000600037341X error 第18位校验码应为“L”，实为“X”\n", 1)


def test_empty_argument_is_an_error_line():
    out, _err, code = run_failing("check", "  ")
    assert (out, code) == ("（空） error 代码为空\n", 1)


def test_no_codes_is_a_chinese_usage_error():
    with pytest.raises(CommandError, match="请至少给出一个代码") as exc:
        run("check")
    assert exc.value.returncode == 2


def test_no_subcommand_is_a_chinese_usage_error():
    with pytest.raises(CommandError, match="请指定子命令") as exc:
        run()
    assert exc.value.returncode == 2


def _console(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "xinyong.settings"}
    return subprocess.run(
        [sys.executable, "-m", "xinyong", "codes", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
    )


def test_console_exit_codes_without_traceback():
    ok = _console("check", "91110000600037341L")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == "91110000600037341L ok 工商/市场监管 · 企业 · 北京市\n"

    bad = _console("check", "91110000600037341L", "9111000060003734OL")
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert bad.stdout.splitlines()[1].startswith("9111000060003734OL error 第17位字符“O”")
    assert bad.stderr.strip() == "1个代码无效（共2个）"

    usage = _console("check")
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr
    assert "请至少给出一个代码" in usage.stderr
