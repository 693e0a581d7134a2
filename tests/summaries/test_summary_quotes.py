"""Summaries quote the file's own characters: full-width letters and digits, ％, Traditional script.

Cleaning rewrites the display text (ＡＩ → AI, ２０％ → 20%) for features; a summary must still
quote what the file says. Pinyin glosses (時節(jié)) are the one thing dropped, as an editor quoting
the line would drop them.
"""

from __future__ import annotations

from toolkit.text.cleaning import clean_line, quote_form
from toolkit.text.reading import read_document
from toolkit.summaries import summarize_file

ALL = 1000

WIDE = [
    "據新華社報道，時節(jié)已至，ＡＩ產業增長２０％，全年產值達到３．５萬億元，村民收入提高了１５％以上。",
    "第二段話說的是黨建工作，全村的黨員都參加了學習活動，大家收穫很大。",
    "第三段講的是鄉村振興和產業發展，合作社帶動農戶增收致富效果明顯。",
]


def _write(tmp_path, lines, encoding="utf-8", name="a.txt"):
    path = tmp_path / name
    path.write_bytes("\n".join(lines).encode(encoding))
    return str(path)


def test_quotes_keep_full_width_letters_digits_percent_and_traditional_script(tmp_path):
    for encoding in ("utf-8", "gb18030"):
        lines = [line.replace("(jié)", "") for line in WIDE] if encoding == "gb18030" else WIDE
        path = _write(tmp_path, lines, encoding, f"wide-{encoding}.txt")
        summary = summarize_file(path, sentences=ALL)
        quoted = [s.text for s in summary.sentences]
        assert quoted[0] == "據新華社報道，時節已至，ＡＩ產業增長２０％，全年產值達到３．５萬億元，村民收入提高了１５％以上。"
        assert quoted[1:] == WIDE[1:]
        # every other character is the file's: the gloss is the only difference
        assert quoted[0] == WIDE[0].replace("(jié)", "")


def test_the_display_and_analysis_forms_do_not_change(tmp_path):
    """Classification and every other command see the same text as before: ASCII width."""
    document = read_document(_write(tmp_path, WIDE))
    first = document.paragraphs[0]
    assert first.text == "據新華社報道，時節已至，AI產業增長20%，全年產值達到3.5萬億元，村民收入提高了15%以上。"
    assert "AI产业增长20%" in first.analysis_text
    assert first.quote_text.startswith("據新華社報道，時節已至，ＡＩ產業")
    assert len(first.quote_text) == len(first.text)
    assert document.paragraphs[1].quote is None  # nothing to put back


def test_quote_form_puts_back_only_width_changes():
    line = '  “ＡＩ”\\"新\\"時節(jié)　增长２０％，３．５亿元\u200b。 '
    text, _ = clean_line(line)
    quoted = quote_form(line, text)
    assert len(quoted) == len(text)
    assert quoted == '“ＡＩ”"新"時節 增长２０％，３．５亿元。'
    assert quote_form("没有全角字符的一行。", "没有全角字符的一行。") is None


def test_paragraphs_joined_and_split_keep_their_quote_form(tmp_path):
    """A paragraph a page broke mid-sentence, and one with a trailing photo credit, quote alike."""
    lines = [
        "该县今年在全县范围内大力发展ＡＩ农业和智慧农业，通过技术培训和订单收购带动农户增收２０％，",
        "成效超出了预期，村民们对此十分满意。",
        "合作社的大棚里，村民正在采摘新鲜的蔬菜。（图片由ＡＢＣ提供）",
        "全县粮食产量达到５．２万吨，比去年增长了３％左右。明年还将继续扩大种植面积，让更多农户受益。"
        "县农业农村局表示，将持续做好技术服务，帮助农户解决生产中遇到的各种实际困难。",
    ]
    document = read_document(_write(tmp_path, lines))
    body = [p for p in document.paragraphs if p.kind == "body"]
    assert body[0].quote_text == lines[0] + lines[1]
    assert body[0].text == lines[0].replace("ＡＩ", "AI").replace("２０％", "20%") + lines[1]
    credit = [p for p in document.paragraphs if p.kind == "caption"]
    assert [p.quote_text for p in credit] == ["（图片由ＡＢＣ提供）"]
    assert "合作社的大棚里，村民正在采摘新鲜的蔬菜。" in [p.quote_text for p in body]
    summary = summarize_file(str(tmp_path / "a.txt"), sentences=ALL)
    quoted = [s.text for s in summary.sentences]
    assert quoted[0] == lines[0] + lines[1]
    assert "全县粮食产量达到５．２万吨，比去年增长了３％左右。" in quoted


def test_a_line_with_a_repaired_garbled_run_keeps_its_width_too():
    line = "組織動員當(dāng)?shù)剞r(nóng)牧民以入股分紅，全年增收２０％，帶動ＡＢ兩村。"
    text, runs = clean_line(line)
    quoted = quote_form(line, text)
    assert runs and "\ufffd" in text
    assert len(quoted) == len(text)
    assert quoted == text.replace("20%", "２０％").replace("AB", "ＡＢ")
