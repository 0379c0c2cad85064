"""PDFs are refused in Chinese on a machine without a CJK font, instead of
printed with empty boxes for every Chinese character."""

import io

import pytest
from pypdf import PdfReader

from xinyong.core import pdf
from xinyong.core.errors import ApplicationError


@pytest.fixture
def no_fonts(tmp_path, monkeypatch):
    """fontconfig pointed at a configuration with no font directory."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><dir>{tmp_path / 'none'}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
        "</fontconfig>"
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    pdf.cjk_font_installed.cache_clear()
    yield
    pdf.cjk_font_installed.cache_clear()


def test_the_machine_running_the_tests_has_a_cjk_font_and_prints_chinese():
    pdf.cjk_font_installed.cache_clear()
    assert pdf.cjk_font_installed()
    data = pdf.html_to_pdf("<p>神农架林区信用报告</p>")
    assert "神农架林区信用报告" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_without_a_cjk_font_the_pdf_is_refused_in_chinese(no_fonts):
    assert pdf.cjk_font_installed() is False
    with pytest.raises(ApplicationError) as refused:
        pdf.html_to_pdf("<p>神农架</p>")
    assert refused.value.status == 503
    assert "未安装中文字体" in refused.value.message and "fonts-noto-cjk" in refused.value.message
