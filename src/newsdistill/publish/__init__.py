"""Publishing digests: Markdown, HTML pages, JSON, Atom and JSON Feed, and a static site.

Every format numbers sources the same way (see `newsdistill.publish.common`) and puts the
source numbers after each sentence, so a reader can check any sentence against its sources.
"""

from newsdistill.publish.html import render_html
from newsdistill.publish.jsonout import json_schema, render_json, write_schema
from newsdistill.publish.markdown import render_markdown
from newsdistill.publish.site import SiteFiles, write_site
from newsdistill.publish.syndication import render_atom, render_json_feed

__all__ = [
    "SiteFiles",
    "json_schema",
    "render_atom",
    "render_html",
    "render_json",
    "render_json_feed",
    "render_markdown",
    "write_schema",
    "write_site",
]
