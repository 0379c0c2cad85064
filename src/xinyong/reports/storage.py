"""Where issued reports are kept: encrypted under the data key (`core.crypto`), outside
the web root, in `XINYONG_PRIVATE_ROOT/reports/` (a person's report holds non-public
data; an organisation's is kept the same way for one rule). The signed PDF is kept as
given out, so a download is the very file that was signed."""

from pathlib import Path

from django.conf import settings

from xinyong.core.crypto import decrypt_chunks, encrypt_stream


def _directory() -> Path:
    path = Path(settings.XINYONG_PRIVATE_ROOT) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _path(number: str, suffix: str) -> Path:
    # Numbers are made by the platform (services.new_number): letters, digits and "-".
    return _directory() / f"{number}.{suffix}"


def store(number: str, *, pdf: bytes, html: str) -> None:
    encrypt_stream([pdf], _path(number, "pdf"))
    encrypt_stream([html.encode()], _path(number, "html"))


def read_pdf(number: str) -> bytes:
    return b"".join(decrypt_chunks(_path(number, "pdf")))


def read_html(number: str) -> str:
    return b"".join(decrypt_chunks(_path(number, "html"))).decode()


# -- credit reports filed by agencies (reports.AgencyReport) -----------------------------


def _filing_path(key: str) -> Path:
    # Keys are made by the platform (AgencyReport.storage_key): "agency-<id>".
    path = Path(settings.XINYONG_PRIVATE_ROOT) / "agency-reports"
    path.mkdir(parents=True, exist_ok=True)
    return path / f"{key}.pdf"


def store_filing(key: str, pdf: bytes) -> None:
    encrypt_stream([pdf], _filing_path(key))


def read_filing(key: str) -> bytes:
    return b"".join(decrypt_chunks(_filing_path(key)))
