"""Boilerplate removal on page-text dumps: the pattern table and the main-text block classifier."""

from __future__ import annotations

from transforms.boilerplate import furniture_lines, main_text_lines
from transforms.parsing.text_dump import parse_text_dump

PARA = (
    "The regional council approved the new transport plan on Tuesday, after months of debate over the cost "
    "of the tram line and the future of the bus depots in the northern districts of the city."
)


def test_pattern_table_kinds():
    lines = [
        "Advertisement",
        "Follow us on Twitter",
        "Share on Facebook",
        "A crowd gathers at the square",
        "A crowd gathers at the square | Photo: Reuters",
        PARA,
        "Read more",
        "Mayor resigns after budget row",
        "ALSO READ: Storm closes schools across the north",
        "You might also be interested in: Ten things to know about the tram",
        "Related stories",
        "City opens new library",
        "Bus fares to rise in spring",
        PARA,
    ]
    removed = furniture_lines(lines, "en")
    assert removed == {
        0: "furniture",
        1: "furniture",
        2: "furniture",
        3: "caption",
        4: "caption",
        6: "teaser",
        7: "teaser",
        8: "teaser",
        9: "teaser",
        10: "related",
        11: "teaser",
        12: "teaser",
    }


def test_subheads_between_paragraphs_stay():
    lines = [PARA, "", "Taliban welcomes move, calls it a big moment", "", PARA]
    assert main_text_lines(lines, set(), "en") == set()


def test_menu_and_footer_around_the_article_go():
    menu = ["Home", "World", "Business", "Sport", "Culture", "Weather", "Newsletters"]
    footer = ["About us", "Contact", "Privacy", "Terms", "Cookie settings", "Jobs", "Advertise with us"]
    teasers = [
        "Five charts that explain the housing market",
        "Why the tram costs so much",
        "In pictures: spring",
    ]
    lines = [*menu, PARA, PARA.replace("Tuesday", "Wednesday"), PARA.upper().lower(), *teasers, *footer]
    dropped = main_text_lines(lines, set(), "en")
    kept = [line for i, line in enumerate(lines) if i not in dropped]
    assert kept == lines[len(menu) : len(menu) + 3]


def test_plain_text_without_furniture_is_untouched():
    text = "Line one of a poem\nline two of the poem\n\nA last line."
    assert parse_text_dump(text)[0]["body"] == text
    assert parse_text_dump(text)[0]["boilerplate"] == []


def test_removed_text_is_kept_in_the_boilerplate_list():
    text = f"Advertisement\n\n{PARA}\n\nALSO READ: Storm closes schools across the north\n"
    article = parse_text_dump(text)[0]
    assert article["body"] == PARA
    assert article["boilerplate"] == ["Advertisement", "ALSO READ: Storm closes schools across the north"]


def test_non_english_page_dump():
    para = (
        "Der Stadtrat hat am Dienstag den neuen Verkehrsplan beschlossen, nachdem monatelang über die Kosten "
        "der Straßenbahn und die Zukunft der Busdepots in den nördlichen Bezirken gestritten worden war."
    )
    text = "\n".join(
        ["Startseite", "Politik", "Wirtschaft", "Anzeige", para, para, "Mehr zum Thema", "Impressum"]
    )
    article = parse_text_dump(text)[0]
    assert article["language"] == "de"
    assert article["body"] == f"{para}\n{para}"


def test_large_nasty_dumps_stay_linear():
    import time

    cases = {
        "short lines": "\n".join(["Home", "World", "Comments"] * 5_000),
        "blank lines": "Advertisement" + "\n" * 100_000 + PARA,
        "one long line": "Advertisement\n" + "word " * 200_000,
        "paragraphs": "\n".join([PARA, "Share", "Subhead here"] * 3_000),
    }
    for name, text in cases.items():
        start = time.perf_counter()
        parse_text_dump(text)
        assert time.perf_counter() - start < 15, name  # quadratic code would take hours


def test_caption_repeated_with_a_credit():
    lines = [
        "Engineers at work on the bridge",
        "Engineers at work on the bridge (Photo: City of Brussels)",
        PARA,
    ]
    assert furniture_lines(lines, "en") == {0: "caption", 1: "caption"}
    lines = ["Taliban welcomes move", "Taliban welcomes move, calls it a big moment", PARA]
    assert furniture_lines(lines, "en") == {}
