"""`xinyong report USCC --out FILE.pdf` prints a signed report; `xinyong report verify`
checks it offline (a fresh data directory, no database) with exit status 0 or 1."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from reports.factories import pdf_text
from xinyong.reports.models import Report

pytestmark = pytest.mark.django_db


def verify_offline(path, key, tmp_path):
    env = {
        **os.environ,
        "XINYONG_SIGNING_KEY": key,
        "XINYONG_DATA_DIR": str(tmp_path / "elsewhere"),  # no database, no data key there
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "xinyong", "report", "verify", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_cli_issues_then_verify_offline_says_valid_or_invalid(
    company, signing_key, tmp_path, capsys
):
    out = tmp_path / "report.pdf"
    call_command("report", "91110000600037341L", "--out", str(out))
    printed = capsys.readouterr().out
    report = Report.objects.get()
    assert f"number={report.number} sha256={report.content_hash}" in printed.splitlines()[-1]
    assert report.channel == Report.Channel.CLI
    text, _pages = pdf_text(out.read_bytes())
    assert "神农架林区某某建材有限公司" in "".join(text.split())

    ok = verify_offline(out, signing_key, tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("有效")
    assert report.number in ok.stdout and "神农架林区某某建材有限公司" in ok.stdout

    data = bytearray(out.read_bytes())
    data[len(data) // 3] ^= 0x20
    bad = tmp_path / "changed.pdf"
    bad.write_bytes(bytes(data))
    failed = verify_offline(bad, signing_key, tmp_path)
    assert failed.returncode == 1
    assert failed.stdout.startswith("无效")
    assert report.number in failed.stdout and "神农架林区某某建材有限公司" in failed.stdout


def test_verify_with_published_public_keys_and_a_foreign_key(company, tmp_path, capsys):
    out = tmp_path / "report.pdf"
    call_command("report", "91110000600037341L", "--out", str(out))
    capsys.readouterr()
    call_command("report", "public-keys")
    keys = tmp_path / "keys.txt"
    keys.write_text(capsys.readouterr().out)
    call_command("report", "verify", str(out), "--public-key", str(keys))
    assert capsys.readouterr().out.startswith("有效")
    # Another platform's key: the same file is not ours.
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    other = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    keys.write_text(base64.urlsafe_b64encode(other).decode() + "\n")
    with pytest.raises(SystemExit) as exit_info:
        call_command("report", "verify", str(out), "--public-key", str(keys))
    assert exit_info.value.code == 1
    assert capsys.readouterr().out.startswith("无效")


def test_cli_refuses_unknown_subject_and_a_span_over_five_years(company, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="未找到"):
        call_command("report", "91350200776049653A", "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="1 至 5 年"):
        call_command(
            "report",
            "91110000600037341L",
            "--kind",
            "special",
            "--years",
            "6",
            "--out",
            str(tmp_path / "x.pdf"),
        )
    assert not Report.objects.exists()
