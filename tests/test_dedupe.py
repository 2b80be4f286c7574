import pytest

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


# The same wire story in scripts other than Latin: a syndicated copy (last sentence cut, a
# credit line added) is found, another outlet's report of the event is not.
SCRIPTS = {
    "cyrillic": (
        "Шторм Илка обрушился на северное побережье во вторник, сообщили власти. Три человека "
        "погибли, ещё четырнадцать получили ранения. Около девяти тысяч домов остались без "
        "электричества. Школы в регионе будут закрыты в среду. Спасатели работали всю ночь.",
        "Северное побережье пострадало от урагана: по данным властей, есть жертвы и раненые, "
        "тысячи домов без света, а занятия в школах отменены.",
    ),
    "greek": (
        "Η καταιγίδα Ίλκα έπληξε τη βόρεια ακτή την Τρίτη, ανέφεραν οι αρχές. Τρεις άνθρωποι "
        "σκοτώθηκαν και δεκατέσσερις τραυματίστηκαν. Περίπου εννέα χιλιάδες σπίτια έμειναν "
        "χωρίς ρεύμα. Τα σχολεία θα μείνουν κλειστά την Τετάρτη. Οι διασώστες δούλευαν όλη νύχτα.",
        "Νεκροί και τραυματίες στη βόρεια ακτή μετά τη θύελλα, χιλιάδες νοικοκυριά χωρίς "
        "ηλεκτρικό, κλειστά τα σχολεία.",
    ),
    "arabic": (
        "ضربت العاصفة إيلكا الساحل الشمالي يوم الثلاثاء بحسب السلطات. قتل ثلاثة أشخاص وأصيب "
        "أربعة عشر آخرون. بقي نحو تسعة آلاف منزل بلا كهرباء. ستغلق المدارس في المنطقة يوم "
        "الأربعاء. عمل المنقذون طوال الليل.",
        "قتلى وجرحى في الشمال بعد العاصفة، وآلاف البيوت بلا تيار، والمدارس مغلقة.",
    ),
    "chinese": (
        "据当局称，风暴伊尔卡周二袭击了北部海岸。三人死亡，另有十四人受伤。约九千户家庭断电。"
        "该地区学校周三将停课。救援人员彻夜工作。",
        "北部沿海遭遇强风暴，造成人员伤亡，数千户停电，学校停课。",
    ),
    "japanese": (
        "当局によると、嵐イルカは火曜日に北部の海岸を襲った。三人が死亡し、十四人が負傷した。"
        "約九千戸が停電した。地域の学校は水曜日に休校となる。救助隊は夜通し作業した。",
        "北部の沿岸で強い嵐、死傷者が出て数千戸が停電し、学校は休みに。",
    ),
}


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_copies_are_found_in_every_script(script: str) -> None:
    wire, rewrite = SCRIPTS[script]
    index = dedupe.NearDuplicateIndex(0.6)
    index.add(1, dedupe.signature(wire))
    # The last sentence cut (at its last full stop of either kind) and a credit line added.
    cut = max(wire.rstrip("。.").rfind("。"), wire.rstrip("。.").rfind("."))
    copy = wire[: cut + 1] + " (Wire) 2026"
    assert index.best_match(dedupe.signature(copy)) == 1
    assert index.best_match(dedupe.signature(rewrite)) is None


def test_unspaced_scripts_shingle_by_character() -> None:
    assert dedupe.tokens("三人死亡，另有 Ilka 14人") == [
        "三",
        "人",
        "死",
        "亡",
        "另",
        "有",
        "ilka",
        "14",
        "人",
    ]
    # Spaced scripts keep whole words, as English does.
    assert dedupe.tokens("Три человека погибли") == ["три", "человека", "погибли"]
    assert dedupe.tokens(WIRE) == dedupe.normalise_text(WIRE).split()
