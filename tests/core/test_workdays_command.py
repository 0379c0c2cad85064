"""`xinyong workdays …`: outputs, errors and exit codes."""

import datetime as dt
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xinyong.core import workdays
from xinyong.core.management.commands.workdays import Command
from xinyong.core.models import AuditLog, CalendarDay, CalendarYear

SOURCE = "测试用虚构安排（不是官方通知）"
# Made-up dates for the tests, NOT the official 2027 schedule.
FAKE_2027_CSV = "日期,类型,名称\n2027-01-01,休,元旦\n2027/01/09,班,元旦\n2027-02-08,休,春节\n"


@pytest.fixture(autouse=True)
def fresh_calendar():
    workdays.reset_calendar_cache()
    yield
    workdays.reset_calendar_cache()


def run(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_add_prints_the_date():
    assert run("add", "2025-09-30", "7") == "2025-10-16\n"
    assert run("add", "2025/1/24", "1") == "2025-01-26\n"
    assert run("add", "2025-10-16", "-7") == "2025-09-30\n"


@pytest.mark.django_db
def test_add_warns_when_a_year_is_not_official():
    assert run("add", "2026-12-25", "7") == (
        "2027-01-05（注意：2027年尚无官方节假日安排，按周一至周五推算，结果非正式）\n"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2025-13-01", "7"), "参数 DATE：“2025-13-01”不是有效日期"),
        (("yesterday", "7"), "参数 DATE：“yesterday”不是有效日期"),
        (("2025-09-30", "seven"), "参数 N：“seven”不是整数"),
        (("2025-09-30", "1.5"), "参数 N：“1.5”不是整数"),
        (("2025-09-30", "99999"), "参数 N：99999 超出范围"),
    ],
)
def test_add_rejects_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        run("add", *args)


@pytest.mark.django_db
def test_check_explains_the_day():
    assert run("check", "2025-10-11") == (
        "2025-10-11 星期六：工作日（调休上班：国庆节）\n"
        "依据：国务院办公厅节假日安排（chinesecalendar 1.11.0 软件包内置，官方安排）\n"
    ).replace("1.11.0", workdays.get_calendar().package_label.split()[-1])
    assert run("check", "2025-10-01").startswith("2025-10-01 星期三：休息日（节假日：国庆节）\n")
    assert run("check", "2025-10-12").startswith("2025-10-12 星期日：休息日（周末）\n")
    assert run("check", "2025-10-13").startswith("2025-10-13 星期一：工作日（周一至周五）\n")
    assert run("check", "2027-01-01") == (
        "2027-01-01 星期五：工作日（周一至周五）\n"
        "注意：2027年尚无官方节假日安排，按周一至周五推算，结果非正式\n"
    )
    with pytest.raises(CommandError, match="参数 DATE"):
        run("check", "2025-02-29")


@pytest.mark.django_db
def test_years_lists_package_and_imported_years(tmp_path):
    out = run("years")
    assert out.startswith("有官方节假日安排的年份（共23个）：\n2004年  软件包内置：chinesecalendar")
    assert "2027年" not in out
    assert out.endswith("其他年份没有官方安排，按周一至周五推算，结果非正式。\n")

    path = tmp_path / "2027.csv"
    path.write_text(FAKE_2027_CSV, encoding="utf-8")
    run("import", str(path), "--year", "2027", "--source", SOURCE)
    out = run("years")
    assert "共24个" in out
    assert f"2027年  信用办导入：{SOURCE}（" in out


@pytest.mark.django_db
def test_import_then_add_and_check(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(FAKE_2027_CSV, encoding="utf-8")
    out = run("import", str(path), "--year", "2027", "--source", SOURCE)
    assert out.splitlines()[:2] == [
        "已导入2027年节假日安排：休息日 2 天，调休上班 1 天。",
        f"依据：{SOURCE}",
    ]
    assert CalendarYear.objects.get().year == 2027
    assert CalendarDay.objects.count() == 3
    log = AuditLog.objects.get(action="calendar_year.import")
    assert log.actor is None and log.actor_label.startswith("命令行")
    # The calendar of this process follows the import at once.
    assert run("add", "2026-12-31", "1") == "2027-01-04\n"
    assert run("check", "2027-01-09") == (
        f"2027-01-09 星期六：工作日（调休上班：元旦）\n依据：{SOURCE}（信用办导入，官方安排）\n"
    )

    # Importing again replaces the year.
    path.write_text("日期,类型\n2027-01-01,休\n", encoding="utf-8")
    out = run("import", str(path), "--year", "2027", "--source", SOURCE)
    assert "已替换该年度原有的 3 条记录。" in out
    assert CalendarDay.objects.count() == 1


@pytest.mark.django_db
def test_import_over_a_package_year_says_so(tmp_path):
    path = tmp_path / "2025.csv"
    path.write_text("日期,类型,名称\n2025-10-01,休,国庆节\n", encoding="utf-8")
    out = run("import", str(path), "--year", "2025", "--source", "测试")
    assert "该年度今后以导入的安排为准，不再使用软件包内置数据。" in out
    assert run("add", "2025-09-30", "1") == "2025-10-02\n"


@pytest.mark.django_db
def test_import_with_a_bad_row_imports_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("日期,类型,名称\n2027-01-01,休,元旦\n2027-02-30,休,春节\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run("import", str(path), "--year", "2027", "--source", SOURCE)
    assert "第3行“日期”：“2027-02-30”不是有效日期" in str(exc.value)
    assert "未导入任何数据" in str(exc.value)
    assert not CalendarYear.objects.exists()
    assert not CalendarDay.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="calendar").exists()


@pytest.mark.django_db
def test_import_rejects_a_file_of_another_year(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(FAKE_2027_CSV, encoding="utf-8")
    with pytest.raises(CommandError, match="而导入的是2028年"):
        run("import", str(path), "--year", "2028", "--source", SOURCE)
    assert not CalendarDay.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--source", SOURCE), "缺少参数 --year"),
        (("--year", "二〇二七", "--source", SOURCE), "参数 --year：“二〇二七”不是有效年份"),
        (("--year", "2027"), "缺少参数 --source"),
    ],
)
def test_import_argument_errors(tmp_path, args, message):
    path = tmp_path / "2027.csv"
    path.write_text(FAKE_2027_CSV, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("import", str(path), *args)


@pytest.mark.django_db
def test_import_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"参数 FILE：文件“.*nope\.csv”不存在"):
        run("import", str(tmp_path / "nope.csv"), "--year", "2027", "--source", SOURCE)


def test_help_documents_the_csv_format():
    parser = Command().create_parser("xinyong", "workdays")
    subparsers = next(a for a in parser._actions if a.dest == "subcommand")
    text = subparsers.choices["import"].format_help()
    assert "日期,类型,名称" in text and "YYYY/MM/DD" in text and "不是官方安排" in text


# -- the real console script: exit codes, no stack traces -------------------------------


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("xinyong-cli")
    env = {**os.environ, "XINYONG_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [_xinyong(), "migrate", "--skip-checks", "-v0"], env=env, check=True, timeout=120
    )
    return env


def _xinyong() -> str:
    return str(Path(sys.executable).with_name("xinyong"))


def _cli(env, *args):
    return subprocess.run(
        [_xinyong(), "workdays", *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_cli_exit_codes(cli_env):
    ok = _cli(cli_env, "add", "2025-09-30", "7")
    assert (ok.returncode, ok.stdout) == (0, "2025-10-16\n")

    warn = _cli(cli_env, "add", "2026-12-31", "7")
    assert warn.returncode == 0
    assert warn.stdout.startswith("2027-01-11（注意：2027年尚无官方节假日安排")

    bad = _cli(cli_env, "add", "2025-02-30", "7")
    assert bad.returncode == 1
    assert "参数 DATE：“2025-02-30”不是有效日期" in bad.stderr
    assert "Traceback" not in bad.stderr

    bad_n = _cli(cli_env, "add", "2025-09-30", "x")
    assert bad_n.returncode == 1 and "参数 N" in bad_n.stderr


def test_cli_import_bad_row(cli_env, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("日期,类型\n2027-01-01,休\n2027-01-02,下班\n", encoding="utf-8")
    result = _cli(cli_env, "import", str(path), "--year", "2027", "--source", SOURCE)
    assert result.returncode == 1
    assert "第3行“类型”：“下班”无效" in result.stderr
    assert "Traceback" not in result.stderr
    years = _cli(cli_env, "years")
    assert years.returncode == 0 and "2027年" not in years.stdout


def test_dates_are_dates():
    # Keep the CLI's parser and the CSV's in step.
    assert workdays.parse_date("2027/1/9") == dt.date(2027, 1, 9)
    assert workdays.parse_date("2027-1/9") is None
    assert workdays.parse_date("2027-02-29") is None
