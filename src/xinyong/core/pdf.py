"""HTML to PDF (WeasyPrint), for credit reports and the monthly 通报, refused
in Chinese when the machine has no CJK font: WeasyPrint would otherwise print
every Chinese character as an empty box and nobody would notice until the
paper was handed out."""

import ctypes
import ctypes.util
import functools

from django.utils.translation import gettext as _

from xinyong.core.errors import ApplicationError


class _FontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.c_void_p)]


@functools.cache
def cjk_font_installed() -> bool:
    """Whether fontconfig (which WeasyPrint's Pango asks) knows a font covering
    Chinese (`fc-list :lang=zh`). Asked once per process: installing a font
    takes a restart, as it does for Pango's own font map."""
    name = ctypes.util.find_library("fontconfig")
    if name is None:
        return False
    fc = ctypes.CDLL(name)
    fc.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
    fc.FcNameParse.restype = ctypes.c_void_p
    fc.FcNameParse.argtypes = [ctypes.c_char_p]
    fc.FcObjectSetBuild.restype = ctypes.c_void_p
    fc.FcFontList.restype = ctypes.POINTER(_FontSet)
    fc.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    for function in ("FcPatternDestroy", "FcObjectSetDestroy", "FcConfigDestroy"):
        getattr(fc, function).argtypes = [ctypes.c_void_p]
    fc.FcFontSetDestroy.argtypes = [ctypes.POINTER(_FontSet)]
    config = fc.FcInitLoadConfigAndFonts()
    pattern = fc.FcNameParse(b":lang=zh")
    objects = fc.FcObjectSetBuild(b"family", None)
    try:
        found = fc.FcFontList(config, pattern, objects)
        count = found.contents.nfont if found else 0
        if found:
            fc.FcFontSetDestroy(found)
    finally:
        fc.FcObjectSetDestroy(objects)
        fc.FcPatternDestroy(pattern)
        fc.FcConfigDestroy(config)
    return count > 0


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html`; ApplicationError (503) without a CJK font."""
    if not cjk_font_installed():
        raise ApplicationError(
            "no_cjk_font",
            _(
                "服务器未安装中文字体（如 Debian 的 fonts-noto-cjk），无法生成 PDF；"
                "请管理员安装后重启服务"
            ),
            status=503,
        )
    # Imported here: WeasyPrint loads Pango through cffi, which only PDFs need.
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
