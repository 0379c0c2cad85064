import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from support.ingest_files import penalty_row, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]


def test_import_ends_with_counts_line(tmp_path, capsys, department, xzcf):
    path = write_csv(tmp_path / "a.csv", [penalty_row(1), penalty_row(2, **{"违法事实": ""})])
    call_command("import", str(path), item="XZCF", department="scjg")
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "received=2 accepted=1 rejected=1"
    assert any("第3行" in line and "违法事实" in line for line in out)


def test_unreadable_file_is_an_error_with_reason(tmp_path, department, xzcf):
    path = tmp_path / "a.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="空"):
        call_command("import", str(path), item="XZCF", department="scjg")


def test_unknown_department_or_item(tmp_path, department, xzcf):
    path = write_csv(tmp_path / "a.csv", [penalty_row(1)])
    with pytest.raises(CommandError, match="部门"):
        call_command("import", str(path), item="XZCF", department="nope")
    with pytest.raises(CommandError, match="目录事项"):
        call_command("import", str(path), item="NOPE", department="scjg")
