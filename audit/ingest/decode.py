"""Bytes to text, tolerant the way scraped files need: BOMs, UTF-16, Windows-1252."""

from __future__ import annotations

import codecs
import re

from .base import UnreadableInput

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    return len(_CONTROL.findall(text)) / len(text) < 0.01


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding). Raises UnreadableInput for empty or binary content."""
    if not data.strip():
        raise UnreadableInput("the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise UnreadableInput(f"invalid {encoding} after its byte-order mark: {exc.reason}")
    try:
        text = data.decode("utf-8")
        if _looks_like_text(text):
            return text, "utf-8"
        raise UnreadableInput("the file is binary, not text")
    except UnicodeDecodeError:
        pass
    if b"\x00" not in data and data.count(b"\r") - data.count(b"\r\n") > data.count(b"\n"):
        # Line ends mostly of CR alone are the classic Mac OS's, whose text is Mac Roman: read as
        # Windows-1252 its accents become other letters ("Ì©" for Mac Roman "Ã©"), and the
        # mojibake inside such files is recognisable only once the right set is used.
        return data.decode("mac_roman"), "mac_roman"
    if b"\x00" not in data:
        # Windows-1252 is by far the commonest non-UTF-8 encoding of scraped Western pages;
        # it is tried before detection because detectors often call it Latin-1 and turn
        # curly quotes (0x91-0x94) into control characters.
        try:
            text = data.decode("cp1252")
            if _looks_like_text(text):
                return text, "cp1252"
        except UnicodeDecodeError:
            pass
    import charset_normalizer  # the last resort, rarely reached: not loaded by every run

    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding:
        text = str(best)
        if _looks_like_text(text):
            return text, best.encoding
    raise UnreadableInput("the file is binary or in an unknown encoding")
