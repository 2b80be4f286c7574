from newsdistill import dedupe

WIRE = (
    "Rescue teams worked through the night after a magnitude 6.1 earthquake struck the coastal "
    "province of Marvel on Monday, officials said. At least 14 people were injured and dozens of "
    "homes were damaged in the town of Sorrel Bay, according to the regional emergency agency. "
    "The quake hit at 4:12 a.m. local time at a depth of 10 kilometres. Power was cut to about "
    "9,000 homes. Schools in the province will remain closed on Tuesday while engineers inspect "
    "buildings. Aftershocks continued through the morning, the national seismology office said."
)


def test_exact_copy_has_the_same_hash_despite_case_and_spacing() -> None:
    shouted = "  " + WIRE.upper().replace(". ", ".  ")
    assert dedupe.content_hash(WIRE) == dedupe.content_hash(shouted)


def test_syndicated_copy_with_trimmed_ending_and_byline_is_found() -> None:
    index = dedupe.NearDuplicateIndex(0.6)
    index.add(1, dedupe.signature(WIRE))
    copy = WIRE.rsplit(" Aftershocks", 1)[0] + " Reporting by Ana Pires; editing by Tom Hale."
    assert index.best_match(dedupe.signature(copy)) == 1


def test_a_rewrite_of_the_same_event_is_not_a_duplicate() -> None:
    index = dedupe.NearDuplicateIndex(0.6)
    index.add(1, dedupe.signature(WIRE))
    rewrite = (
        "A strong earthquake shook Marvel province before dawn on Monday, injuring at least 14 "
        "people in Sorrel Bay and leaving thousands without electricity. Engineers are checking "
        "school buildings, which stay shut on Tuesday, and residents reported aftershocks."
    )
    assert index.best_match(dedupe.signature(rewrite)) is None


def test_signature_survives_encoding() -> None:
    sig = dedupe.signature(WIRE)
    assert dedupe.decode(dedupe.encode(sig)).jaccard(sig) == 1.0


def test_a_site_root_is_no_article_link() -> None:
    article = "https://velma-herald.test/2026/11/18/ferry-terminal"
    assert dedupe.article_link(article) == article
    for root in ("https://velma-herald.test", "https://velma-herald.test/", None):
        assert dedupe.article_link(root) is None
