from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree

from newsdistill.ingest.feeds import parse_opml

OPML = Path(__file__).parents[1] / "examples" / "feeds.opml"


def test_example_feed_list_covers_each_topic_with_several_outlets() -> None:
    feeds = parse_opml(OPML.read_bytes())
    assert len(feeds) == len({f.url for f in feeds}) >= 20
    topics = ElementTree.parse(OPML).getroot().find("body")
    assert topics is not None
    for topic in topics:
        hosts = {urlparse(o.get("xmlUrl", "")).hostname for o in topic}
        assert len(hosts) >= 4, topic.get("text")
    assert {t.get("text") for t in topics} >= {"World", "Politics", "Business", "Science"}
