"""Reading a response body with its size capped after decompression.

httpx decompresses whole network reads at once, so one 64 KB read of a gzip bomb becomes some
64 MB in memory before anyone can count it. Here the raw bytes are decompressed with zlib's
`max_length`, so no more than the cap (plus one byte, to notice) ever exists.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

from newsdistill.errors import FetchError

ACCEPT_ENCODING = "gzip, deflate"  # what this module can undo, so all a server should send
_GZIP = 16 + zlib.MAX_WBITS
_RAW_DEFLATE = -zlib.MAX_WBITS


class _Decoder:
    """Undoes one Content-Encoding (gzip, deflate or none), never producing more than asked."""

    def __init__(self, encoding: str) -> None:
        self._zlib = (
            None if not encoding else zlib.decompressobj(_GZIP if encoding == "gzip" else 0)
        )
        # "deflate" is often sent as a raw stream without the zlib header: until the two header
        # bytes have passed, the input is kept to replay as raw deflate if they were not one.
        self._unchecked: bytes | None = b"" if encoding == "deflate" else None

    def decode(self, data: bytes, max_length: int) -> bytes:
        if self._zlib is None:
            return data
        if self._unchecked is not None:
            self._unchecked += data
        try:
            out = self._zlib.decompress(data, max_length)
        except zlib.error:
            if self._unchecked is None:
                raise
            self._zlib = zlib.decompressobj(_RAW_DEFLATE)
            data, self._unchecked = self._unchecked, None
            return self._zlib.decompress(data, max_length)
        if self._unchecked is not None and len(self._unchecked) >= 2:
            self._unchecked = None
        return out

    def flush(self) -> bytes:
        return self._zlib.flush() if self._zlib is not None else b""


def _encoding(content_encoding: str | None, url: str) -> str:
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip().lower()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return ""
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
        return "deflate" if codings[0] == "deflate" else "gzip"
    raise FetchError(url, f"unsupported Content-Encoding: {content_encoding}")


def read_capped(url: str, raw: Iterable[bytes], content_encoding: str | None, limit: int) -> bytes:
    """The body from its raw (still encoded) chunks; FetchError once it would pass `limit`
    bytes decoded, or if it cannot be decoded."""
    decoder = _Decoder(_encoding(content_encoding, url))
    chunks: list[bytes] = []
    size = 0
    try:
        for piece in raw:
            # Asking for one byte more than is left tells "exactly full" from "too large";
            # compressed input that would give more stays unconsumed and is never expanded.
            chunk = decoder.decode(piece, limit - size + 1)
            size += len(chunk)
            if size > limit:
                raise too_large(url, limit)
            chunks.append(chunk)
        tail = decoder.flush()
    except zlib.error:
        raise FetchError(url, "response could not be decompressed") from None
    if size + len(tail) > limit:
        raise too_large(url, limit)
    chunks.append(tail)
    return b"".join(chunks)


def too_large(url: str, limit: int) -> FetchError:
    """The error for a body past `limit` bytes."""
    return FetchError(url, f"response larger than {round(limit / 2**20, 1):g} MB")
