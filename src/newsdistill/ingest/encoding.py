"""Decoding bytes of unknown provenance (web pages, feeds, local files) to text without failing."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers decode these labels as windows-1252, which gives meaning to bytes 0x80-0x9F
# (curly quotes, dashes) that latin-1 maps to control characters.
_AS_WINDOWS_1252 = {"ascii", "iso8859-1"}
_DECLARATION = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)


def codec_for(label: str | None) -> str | None:
    """The Python codec for a charset label, or None if the label is unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_WINDOWS_1252 else name


def declared_charset(content: bytes) -> str | None:
    """The charset named by a <meta charset> tag or an XML declaration near the start."""
    match = _DECLARATION.search(content[:4096])
    if match is None:
        return None
    codec = codec_for((match[1] or match[2]).decode("ascii"))
    # A document we could read this far is ASCII-compatible, so a UTF-16 declaration is wrong.
    if codec and codec.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return codec


def decode_bytes(content: bytes, charset: str | None = None) -> str:
    """Decode using a BOM, else `charset` (e.g. from Content-Type), else the document's own
    declaration, else UTF-8 if valid, else a detected charset; bad bytes become U+FFFD."""
    for bom, bom_codec in _BOMS:
        if content.startswith(bom):
            return content[len(bom) :].decode(bom_codec, "replace")
    codec = codec_for(charset) or declared_charset(content)
    if codec is not None:
        return content.decode(codec, "replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode(_detect(content), "replace")


def _detect(content: bytes) -> str:
    candidates = [match.encoding for match in charset_normalizer.from_bytes(content)]
    # The detector ranks single-byte Latin code pages poorly on short texts; undeclared legacy
    # pages are mostly Western European, so windows-1252 wins whenever it is plausible at all.
    if not candidates or "cp1252" in candidates:
        return "cp1252"
    return candidates[0]
