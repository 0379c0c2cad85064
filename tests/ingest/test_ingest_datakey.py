"""`xinyong datakey rotate`: a new key, every encrypted value and stored file
re-encrypted under it, the old key kept until done; a cut-off run resumes."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from support.ingest_files import penalty_row, write_csv
from xinyong.core import crypto
from xinyong.core.models import AuditLog
from xinyong.ingest.models import RejectedRow
from xinyong.ingest.services import batch_submit_file
from xinyong.subjects.models import Subject
from xinyong.subjects.services import subject_reveal_id

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]

ID_NUMBER = "11010519491231002X"


@pytest.fixture(autouse=True)
def own_dirs(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("XINYONG_DATA_KEY", raising=False)
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"
    crypto.reset_keyring()
    yield
    crypto.reset_keyring()


@pytest.fixture
def batch(tmp_path, department, xzcf):
    row = penalty_row(1)
    del row["行政相对人代码_1(统一社会信用代码)"]
    row.update({"行政相对人名称": "张三丰", "行政相对人类别": "自然人", "证件类型": "身份证"})
    rows = [
        {**row, "证件号码": ID_NUMBER},
        {**row, "证件号码": ID_NUMBER, "处罚决定日期": "2025/02/30"},
    ]
    return batch_submit_file(
        department=department, item=xzcf, path=write_csv(tmp_path / "p.csv", rows)
    )


def _key_ids(batch):
    stored = Path(crypto.settings.MEDIA_ROOT) / batch.stored_file
    return {
        crypto.value_key_id(Subject.objects.get(kind="person").id_encrypted),
        crypto.value_key_id(RejectedRow.objects.get().values),
        crypto.value_key_id(RejectedRow.objects.get().errors),
        crypto.file_key_id(stored),
    }


def rotate() -> str:
    out = io.StringIO()
    call_command("datakey", "rotate", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_rotation_re_encrypts_everything_and_drops_the_old_key(batch, admin_user):
    key_file = crypto.key_file()
    old = key_file.read_text().split()
    [old_id] = _key_ids(batch)
    plain = b"".join(crypto.plain_chunks(Path(crypto.settings.MEDIA_ROOT) / batch.stored_file))

    assert "旧密钥已删除" in rotate()

    new = key_file.read_text().split()
    assert len(new) == 1 and new != old and key_file.stat().st_mode & 0o777 == 0o600
    crypto.reset_keyring()
    [new_id] = _key_ids(batch)
    assert new_id != old_id
    subject = Subject.objects.get(kind="person")
    assert subject_reveal_id(actor=admin_user, subject=subject) == ID_NUMBER
    assert RejectedRow.objects.get().clear_values()["证件号码"] == ID_NUMBER
    assert RejectedRow.objects.get().clear_errors()[0]["field"] == "处罚决定日期"
    stored = Path(crypto.settings.MEDIA_ROOT) / batch.stored_file
    assert b"".join(crypto.plain_chunks(stored)) == plain
    assert AuditLog.objects.filter(action="datakey.rotate").count() == 1


def test_a_run_cut_short_is_resumed_without_a_third_key(batch):
    key_file = crypto.key_file()
    [old] = key_file.read_text().split()
    # As a run cut off after writing the new key and re-encrypting nothing.
    new = crypto.generate_key()
    crypto.write_key_file(key_file, [new, old])
    crypto.reset_keyring()
    assert "旧密钥已删除" in rotate()
    assert key_file.read_text().split() == [new]
    crypto.reset_keyring()
    assert len(_key_ids(batch)) == 1
    assert RejectedRow.objects.get().clear_values()["证件号码"] == ID_NUMBER


def test_a_damaged_original_keeps_the_old_key(batch):
    key_file = crypto.key_file()
    stored = Path(crypto.settings.MEDIA_ROOT) / batch.stored_file
    data = bytearray(stored.read_bytes())
    data[-3] ^= 1
    stored.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="已损坏"):
        rotate()
    assert len(key_file.read_text().split()) == 2  # the old key is still there
