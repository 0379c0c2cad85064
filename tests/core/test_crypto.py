"""core.crypto: values and chunked files under AES-GCM, a key ring for rotation."""

import pytest

from xinyong.core import crypto
from xinyong.core.crypto import (
    FILE_CHUNK,
    DataKeyError,
    decrypt_value,
    encrypt_stream,
    encrypt_value,
    encrypted_size,
    plain_chunks,
)


@pytest.fixture(autouse=True)
def own_key(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("XINYONG_DATA_KEY", raising=False)
    settings.DATA_DIR = tmp_path
    crypto.reset_keyring()
    yield
    crypto.reset_keyring()


def test_the_key_is_generated_once_into_the_data_dir_owner_only(tmp_path):
    token = encrypt_value("11010519491231002X", b"t")
    path = tmp_path / "data_key"
    assert path.stat().st_mode & 0o777 == 0o600
    crypto.reset_keyring()
    assert decrypt_value(token, b"t") == "11010519491231002X"


def test_a_value_is_bound_to_its_purpose_and_to_the_key():
    token = encrypt_value("秘密", b"a")
    assert "秘密" not in token and encrypt_value("秘密", b"a") != token  # random nonce
    with pytest.raises(DataKeyError):
        decrypt_value(token, b"b")


def test_the_key_from_the_environment_wins(monkeypatch, tmp_path):
    key = crypto.generate_key()
    monkeypatch.setenv("XINYONG_DATA_KEY", key)
    token = encrypt_value("x", b"p")
    assert not (tmp_path / "data_key").exists()
    monkeypatch.setenv("XINYONG_DATA_KEY", crypto.generate_key())
    with pytest.raises(DataKeyError):  # another key: unreadable
        decrypt_value(token, b"p")
    monkeypatch.setenv("XINYONG_DATA_KEY", f"{crypto.generate_key()},{key}")
    assert decrypt_value(token, b"p") == "x"  # an old key still decrypts


@pytest.mark.parametrize("size", [0, 1, FILE_CHUNK - 1, FILE_CHUNK, FILE_CHUNK + 1, 3 * FILE_CHUNK])
def test_files_round_trip_at_every_chunk_boundary(tmp_path, size):
    data = bytes(range(256)) * (size // 256) + b"z" * (size % 256)
    path = tmp_path / "f"
    pieces = [data[i : i + 65536] for i in range(0, len(data), 65536)]
    assert encrypt_stream(pieces, path)[0] == size
    assert path.stat().st_size == encrypted_size(size)
    assert b"".join(plain_chunks(path)) == data
    # Every chunk is bounded: memory does not grow with the file.
    assert max((len(c) for c in plain_chunks(path)), default=0) <= FILE_CHUNK


def test_a_file_cut_at_a_chunk_boundary_or_reordered_is_refused(tmp_path):
    data = b"a" * FILE_CHUNK + b"b" * FILE_CHUNK + b"c"
    path = tmp_path / "f"
    encrypt_stream([data], path)
    raw = path.read_bytes()
    header, sealed = 20, FILE_CHUNK + 16
    (tmp_path / "cut").write_bytes(raw[: header + sealed])
    with pytest.raises(DataKeyError):
        b"".join(plain_chunks(tmp_path / "cut"))
    swapped = (
        raw[:header] + raw[header + sealed : header + 2 * sealed] + raw[header : header + sealed]
    )
    (tmp_path / "swapped").write_bytes(swapped + raw[header + 2 * sealed :])
    with pytest.raises(DataKeyError):
        b"".join(plain_chunks(tmp_path / "swapped"))
