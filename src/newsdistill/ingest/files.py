"""Reading articles from local files: HTML pages, plain text/Markdown, JSON and JSON Lines."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsdistill.errors import InputError
from newsdistill.ingest.dates import parse_datetime
from newsdistill.ingest.encoding import decode_bytes

SUPPORTED_SUFFIXES = (".html", ".htm", ".txt", ".md", ".json", ".jsonl")
_SUFFIX_LIST = f"{', '.join(SUPPORTED_SUFFIXES[:-1])} or {SUPPORTED_SUFFIXES[-1]}"
MAX_TITLE_CHARS = 200


@dataclass
class RawArticle:
    """An article as found in a file, before extraction: `html` or `text` is set."""

    url: str
    html: str | None
    text: str | None
    title: str | None
    published: dt.datetime | None
    outlet: str | None
    author: str | None


def load_articles_from_path(path: Path) -> list[RawArticle]:
    """Articles in a file, or in every supported file under a directory (recursively, sorted).

    Raises InputError naming the file (and line or item) that cannot be read.
    """
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.suffix.lower() in SUPPORTED_SUFFIXES
            and p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not files:
            raise InputError(f"{path}: no {_SUFFIX_LIST} files found")
        return [article for file in files for article in _load_file(file)]
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    return _load_file(path)


def _load_file(path: Path) -> list[RawArticle]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"{path}: unsupported file type {suffix or '(none)'}; expected {_SUFFIX_LIST}"
        )
    try:
        content = decode_bytes(path.read_bytes())
    except OSError as exc:
        raise InputError(f"{path}: cannot read file: {exc.strerror or exc}") from None
    url = path.resolve().as_uri()
    if suffix in (".html", ".htm"):
        return [RawArticle(url, content, None, None, None, None, None)]
    if suffix in (".txt", ".md"):
        return [_text_article(path, content, url)]
    if suffix == ".json":
        return _json_articles(path, content, url)
    return _jsonl_articles(path, content, url)


def _text_article(path: Path, content: str, url: str) -> RawArticle:
    """The first line is the title when it is short enough to be one."""
    lines = content.strip().splitlines()
    if not lines:
        raise InputError(f"{path}: the file is empty")
    first = lines[0].lstrip("#").strip() if path.suffix.lower() == ".md" else lines[0].strip()
    if len(first) < MAX_TITLE_CHARS and len(lines) > 1:
        title, body = first, "\n".join(lines[1:]).strip()
    else:
        title, body = path.stem, "\n".join(lines)
    return RawArticle(url, None, body, title, None, None, None)


def _json_articles(path: Path, content: str, url: str) -> list[RawArticle]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    items = data if isinstance(data, list) else [data]
    many = isinstance(data, list)
    return [
        _record(
            item, f"{url}#{index}" if many else url, f"{path}, item {index}" if many else str(path)
        )
        for index, item in enumerate(items, start=1)
    ]


def _jsonl_articles(path: Path, content: str, url: str) -> list[RawArticle]:
    articles = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: invalid JSON: {exc.msg}") from None
        articles.append(_record(item, f"{url}#{number}", where))
    return articles


def _record(item: Any, default_url: str, where: str) -> RawArticle:
    """A JSON object: url?, title?, text? or html?, published?/date?, source?/outlet?, author?"""
    if not isinstance(item, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(item).__name__}")

    def field(*names: str) -> str | None:
        for name in names:
            value = item.get(name)
            if value is None:
                continue
            if not isinstance(value, str):
                raise InputError(f"{where}: field {name!r} must be a string")
            if value.strip():
                return value.strip()
        return None

    text, html = field("text"), field("html")
    if text is None and html is None:
        raise InputError(f"{where}: needs a non-empty 'text' or 'html' field")
    published = None
    if date := field("published", "date"):
        published = parse_datetime(date)
        if published is None:
            raise InputError(f"{where}: cannot read date {date!r}; use ISO 8601 or RFC 2822")
    return RawArticle(
        url=field("url") or default_url,
        html=html,
        text=text,
        title=field("title"),
        published=published,
        outlet=field("source", "outlet"),
        author=field("author"),
    )
