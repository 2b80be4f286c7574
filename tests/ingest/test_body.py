"""read_capped: decompression with the cap applied to the decoded size, chunk by chunk."""

from __future__ import annotations

import gzip
import zlib

import pytest

from newsdistill.errors import FetchError
from newsdistill.ingest.body import read_capped

TEXT = b"<p>Harbour officials said the terminal would open in March.</p>" * 50
URL = "https://news.example/a"


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def pieces(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize(
    ("encoding", "encoded"),
    [
        (None, TEXT),
        ("identity", TEXT),
        # mtime=0: a timestamp in the bytes would give each xdist worker other test ids
        ("gzip", gzip.compress(TEXT, mtime=0)),
        ("x-gzip", gzip.compress(TEXT, mtime=0)),
        ("GZIP", gzip.compress(TEXT, mtime=0)),
        ("deflate", zlib.compress(TEXT)),
        ("deflate", raw_deflate(TEXT)),  # "deflate" as servers often send it: no zlib header
    ],
)
@pytest.mark.parametrize("chunk", [1, 7, 65536])
def test_decodes_whatever_the_chunking(encoding: str | None, encoded: bytes, chunk: int) -> None:
    assert read_capped(URL, pieces(encoded, chunk), encoding, len(TEXT)) == TEXT


@pytest.mark.parametrize("encoding", [None, "gzip", "deflate"])
def test_one_byte_over_the_cap_is_refused(encoding: str | None) -> None:
    encode = {None: bytes, "gzip": gzip.compress, "deflate": zlib.compress}[encoding]
    with pytest.raises(FetchError) as caught:
        read_capped(URL, pieces(encode(TEXT), 100), encoding, len(TEXT) - 1)
    assert caught.value.reason == "response larger than 0 MB"
    assert caught.value.url == URL


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress", "gzip, gzip"])
def test_encodings_we_did_not_ask_for_are_refused(encoding: str) -> None:
    with pytest.raises(FetchError, match="unsupported Content-Encoding"):
        read_capped(URL, [b"whatever"], encoding, 1000)


def test_a_corrupt_stream_is_a_clear_error() -> None:
    with pytest.raises(FetchError, match="could not be decompressed"):
        # a gzip header, then a deflate block of the reserved type 3
        read_capped(URL, [gzip.compress(b"")[:10] + b"\xff\xff\xff"], "gzip", 1000)
