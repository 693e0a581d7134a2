"""Scraping damage repaired on the seeds, while the article's own brackets and script survive."""

from __future__ import annotations

import re

from toolkit.text.cleaning import clean_line, normalize_space, normalize_width, remove_glosses, to_simplified, unescape_quotes

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"


def test_seed_000_loses_every_pinyin_gloss(seed_paths, seed_docs):
    raw = seed_paths[0].read_text(encoding="utf-8")
    assert "時節(jié)" in raw and "內(nèi)" in raw  # the damage is really there
    text = "\n".join(p.text for p in seed_docs[seed_paths[0].name].paragraphs)
    assert "時節," in text and "內蒙古" in text
    assert not re.search(rf"\([a-z{TONED}]*[{TONED}][a-z{TONED}]*\)", text)
    assert "(街道)" in text and "(社區)" in text  # ordinary brackets after Han characters stay


def test_ordinary_parentheses_are_not_glosses():
    for keep in ("苏木镇(街道)", "(图片由阿拉善左旗委组织部提供)", "《办法(试行)》", "措施(1)", "平台(app)", "党(工)委"):
        assert remove_glosses(keep) == keep
    assert remove_glosses("黨(dǎng)建（jiàn）工作") == "黨建工作"


def test_escaped_quotes_in_seed_004_are_unescaped(seed_paths, seed_docs):
    raw = seed_paths[4].read_text(encoding="utf-8")
    assert "\\’" in raw
    text = "\n".join(p.text for p in seed_docs[seed_paths[4].name].paragraphs)
    assert "\\" not in text
    assert "‘开战’" in text and "‘不摘贫困帽就摘官帽’" in text
    assert unescape_quotes('他说\\"好\\"') == '他说"好"'


def test_width_variants_of_digits_and_letters_become_ascii_but_punctuation_stays():
    assert normalize_width("２０２１年ＧＤＰ增长５．５％，好！") == "2021年GDP增长5.5%，好！"


def test_runs_of_white_space_collapse_and_invisible_characters_go():
    assert normalize_space("\u3000\u3000党建  引领\t\u00a0乡村\u200b振兴 ") == "党建 引领 乡村振兴"


def test_clean_line_combines_the_repairs():
    text, runs = clean_line("\u3000\u3000時節(jié)，\\’开战\\’ ２０２１年")
    assert text == "時節，’开战’ 2021年"
    assert runs == []


def test_analysis_form_is_simplified_and_display_form_is_not(seed_paths, seed_docs):
    first = seed_docs[seed_paths[0].name].paragraphs[0]
    assert "內蒙古" in first.text
    assert "内蒙古" in first.analysis_text
    assert to_simplified("黨建引領扶貧產業") == "党建引领扶贫产业"
    assert to_simplified("党建引领") == "党建引领"


def test_analysis_form_gives_one_form_to_scraped_and_typed_punctuation():
    from toolkit.text.cleaning import analysis_form

    scraped = "嘎查(村);深入推行富民黨建工程,「黨建+」模式!"
    typed = "嘎查（村）；深入推行富民党建工程，“党建+”模式！"
    assert analysis_form(scraped) == analysis_form(typed) == typed
    assert analysis_form("增长5.54%") == "增长5.54%"
