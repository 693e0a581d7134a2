"""The fast paths of classify give byte for byte what the straightforward code gives.

Each optimised step is compared with a plain reference on the seeds and on varied synthetic
articles (page furniture, lines broken mid-sentence, Traditional script, glosses, escaped quotes,
full-width digits, garbled runs, English): cleaning the whole text at once against
:func:`clean_line` line by line, one OpenCC call per document against one per paragraph, the
seam check without jieba against jieba, block kinds with their cheap pre-checks against every
rule's regexes, the regexes rewritten for speed against their plain forms, the garbled-run search
against its plain form, and whole documents (also read from UTF-16 and GB18030 files) segmented
either way; JSON lines against ``json.dumps``, labels against ``max`` over the probabilities.
"""

from __future__ import annotations

import csv
import random
import re

import pytest

from toolkit.text import cleaning, garbled, paragraphs, patterns
from toolkit.text.cleaning import analysis_form, analysis_forms, clean_line, clean_lines
from toolkit.text.sentences import ends_sentence
from toolkit.text.tokens import cut

EXTRAS = [
    "图为村民在合作社分拣蔬菜。（张三 摄）", "来源：人民日报 2022-05-27", "发布时间:2022-05-27 17:03",
    "责任编辑：李四", "版权所有 © 2022 某某网 未经授权不得转载", "首页 > 新闻 > 地方", "扫一扫关注公众号",
    "相关新闻：", "首页 新闻 政务 服务 互动", "一、强化组织建设", "【乡村振兴】", "本报记者 王五",
    "（图片由县委宣传部提供）", "产值达到１２．５％，增长３０００万元", "金秋時節(jié)，碩果飄香", "开战\\’，\\\"最强\\\"",
    "乡镇  村庄  合作社  农户", "第12期", "《人民日报》(2020年12月14日 10 版)", "Hello world, this is English.",
    "村里\u3000开展\u00a0植树造林\u200b", "收入增加到2.5万元", "筑强先锋堡垒点燃乡村振兴“红引擎”一是建强组织，选好带头人。",
    "總工程已?完成60%", "當?shù)剞r(nóng)牧民", "  前后有空格  ", "",
    "Copyright 2023 某某网", "COPYRIGHT reserved", "京ICP备12345678号", "蜀icp证 020", "技术支持：某某科技",
    "主办单位：某县委宣传部", "图片来源：网络", "（徐晨阳 摄）", "村民在田间劳作。（图/李四）", "首先，要抓好班子",
    "\t全角\u3000空格  多个   空格\u2003", "a \u00a0 b", "來源：新華網 2021年3月2日", "扫码关注", "编辑 王五",
]


def synthetic_articles(repo_dir, count: int = 60, seed: int = 13) -> list[str]:
    """Articles mixing labels.csv rows, seed lines and page furniture, some rows broken mid-sentence."""
    rng = random.Random(seed)
    with open(repo_dir / "labels.csv", encoding="utf-8-sig", newline="") as fh:
        texts = [row["text"] for row in csv.DictReader(fh)]
    lines = [line for p in sorted((repo_dir / "seeds").glob("*.txt")) for line in p.read_text(encoding="utf-8").split("\n")]
    articles = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 20)):
            r = rng.random()
            if r < 0.55:
                text = rng.choice(texts)
                if rng.random() < 0.25 and len(text) > 10:
                    k = rng.randint(1, len(text) - 1)
                    middle = rng.choice(EXTRAS) + "\n" if rng.random() < 0.3 else ""
                    text = text[:k] + "\n" + middle + text[k:]
                parts.append(text)
            elif r < 0.8:
                parts.append(rng.choice(lines))
            else:
                parts.append(rng.choice(EXTRAS))
        articles.append(("\n\n" if rng.random() < 0.2 else "\n").join(parts))
    return articles


@pytest.fixture(scope="module")
def articles(repo_dir, seed_paths) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in seed_paths] + synthetic_articles(repo_dir)


def test_clean_lines_equals_clean_line_line_by_line(articles):
    for text in articles:
        assert clean_lines(text) == [clean_line(line) for line in text.split("\n")]


def test_one_opencc_call_per_document_equals_one_per_paragraph(articles):
    for text in articles:
        lines = [line for line, _ in clean_lines(text) if line]
        assert analysis_forms(lines) == [analysis_form(line) for line in lines]
    assert analysis_forms(["一\n二", "三"]) == [analysis_form("一\n二"), analysis_form("三")]  # falls back
    assert analysis_forms([]) == []


@pytest.mark.parametrize("char", sorted(paragraphs.SEAM_BREAKS))
def test_jieba_never_joins_a_seam_break_to_a_neighbour(char):
    for left, right in (("中国", "人民"), ("满", "意"), ("转", "化为"), ("ab", "cd"), ("12", "34"), ("——", "……")):
        assert char in cut(left + char + right), (left, char, right)


# -- the plain forms of the fast paths below: the code as it was before each was made fast --

#: The pinyin-gloss pattern with its lookbehind in front (toolkit.text.patterns.GLOSS checks it
#: after the bracket).
PLAIN_GLOSS = re.compile(rf"(?<=[{patterns.HAN_IDEOGRAPH_CLASS}\ufffd])[(（]\s*{patterns.PINYIN_SYLLABLE}\s*[)）]")


def plain_kind_of(text: str) -> str:
    """:func:`paragraphs._kind_of` without its cheap pre-checks: every rule's regexes, in order."""
    P = paragraphs
    n = len(text)
    if P._COPYRIGHT.search(text):
        return P.COPYRIGHT
    if P._LINKS_HEADER.match(text) and n <= 60:
        return P.LINKS
    if n <= 40 and P._QR.search(text):
        return P.QR
    if P._FIELD.match(text) or P._DATE_ONLY.match(text) or P._PRINT_SOURCE.match(text):
        return P.BYLINE
    if n <= 60 and (P._BYLINE.match(text) or (P._ISSUE.search(text) and not ends_sentence(text))):
        return P.BYLINE
    if n <= 90 and not ends_sentence(text) and (P._EDITOR.search(text) or P._DATED.match(text)):
        return P.BYLINE
    if n <= 80 and (P._NAV_WORDS.search(text) or P._BREADCRUMB.search(text)) and not ends_sentence(text):
        return P.NAVIGATION
    items = text.split()
    menu = len(items) >= 4 and all(len(i) <= 8 for i in items) and not P._PUNCT.search(text)
    if menu or (n <= 120 and P._MENU_SEPARATORS.search(text) and not ends_sentence(text)):
        return P.NAVIGATION
    if n <= 200 and P._CAPTION.search(text):
        return P.CAPTION
    if P._is_heading(text):
        return P.HEADING
    return P.BODY


def plain_guess(text, left, right, n, fits):
    """:func:`garbled._guess` without the check that both neighbours occur in ``text``."""
    if not right or not (left or right[0] == "(") or garbled._LOST in left + right:
        return None
    gloss = rf"(?:\({garbled._TAIL})?"
    inner = "(" + "." * n + ")" + (gloss if right[0] != "(" else "")
    pattern = re.escape(left) + (gloss if left else "") + inner + re.escape(right)
    found = {m.group(1) for m in re.finditer(pattern, text) if fits(m.group(1))}
    return found.pop() if len(found) == 1 else None


def reference_segment(text: str, monkeypatch) -> list:
    """:func:`paragraphs.segment` with every fast path replaced by the plain per-line code."""
    with monkeypatch.context() as patch:
        patch.setattr(cleaning, "_GLOSS", PLAIN_GLOSS)
        patch.setattr(cleaning, "collapse_space", lambda t: cleaning._INLINE_SPACE.sub(" ", t))
        patch.setattr(cleaning, "unescape_quotes", lambda t: cleaning._ESCAPED_QUOTE.sub(r"\1", t))
        patch.setattr(garbled, "_guess", plain_guess)
        patch.setattr(paragraphs, "clean_lines", lambda t: [clean_line(line) for line in t.split("\n")])
        patch.setattr(paragraphs, "quote_forms", lambda t, cleaned: [
            cleaning.quote_form(raw, line) for raw, (line, _) in zip(t.split("\n"), cleaned)])
        patch.setattr(paragraphs, "analysis_forms", lambda texts: [analysis_form(t) for t in texts])
        patch.setattr(paragraphs, "SEAM_BREAKS", frozenset())
        patch.setattr(paragraphs, "_kind_of", plain_kind_of)
        patch.setattr(paragraphs, "_trailing_credit", paragraphs._TRAILING_CREDIT.search)
        patch.setattr(paragraphs, "_glued_heading", paragraphs._GLUED_HEADING.match)
        return paragraphs.segment(text)


def _fields(doc) -> list[tuple]:
    return [(p.index, p.text, p.kind, p.garbled, p.analysis_text, p.quote) for p in doc]


def test_segmented_documents_equal_the_reference(articles, monkeypatch):
    for text in articles:
        assert _fields(paragraphs.segment(text)) == _fields(reference_segment(text, monkeypatch))


def test_files_in_every_encoding_segment_as_the_reference(articles, tmp_path, monkeypatch):
    """Tricky articles written as UTF-16 (with and without BOM) and GB18030 files: read, cleaned
    and segmented by the fast paths exactly as by the plain code."""
    from toolkit.text.reading import read_document, read_text

    tricky = "\n".join([
        "金秋時節(jié)，碩果飄香，內(nèi)蒙古阿拉善左旗格林灘一派繁忙景象。",  # Traditional, glosses
        "來源：新華網　2021年3月2日", "產值達到１２．５％，增長３０００萬元", "村民在合作社分拣",  # broken mid-word
        "图为村民在合作社分拣蔬菜。（张三 摄）", "蔬菜，销往各地。", "版权所有 © 2022 某某网 未经授权不得转载",
    ])
    encodings = [("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("gb18030", "gb18030")]
    for k, text in enumerate([tricky, *articles[:5], *articles[-10:]]):
        for name, codec in encodings:
            try:
                data = text.encode(codec)
            except UnicodeEncodeError:
                continue  # GB18030 encodes everything; this only skips lone surrogates
            path = tmp_path / f"{k}-{name}.txt"
            path.write_bytes(data)
            decoded, _ = read_text(str(path))
            assert decoded == text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
            plain = reference_segment(decoded, monkeypatch)
            assert _fields(read_document(str(path)).paragraphs) == _fields(plain), (k, name)


def test_regex_fast_paths_equal_their_plain_patterns(articles):
    """The gloss pattern checked behind its bracket, space collapsing that skips lone spaces, the
    credit and glued-heading pre-checks: the same matches as the plain patterns, on the articles'
    lines and on random strings over the characters that matter."""
    rng = random.Random(7)
    alphabet = list("中國地(（)）jīngá \ufffd?x\t\u00a0\u3000\u2003 一是、首先，摄图片由提供/：\n\\\"’")
    samples = [line for text in articles for line in text.split("\n")]
    samples += ["".join(rng.choices(alphabet, k=rng.randint(0, 14))) for _ in range(30000)]
    for text in samples:
        assert [m.span() for m in patterns.GLOSS.finditer(text)] == [m.span() for m in PLAIN_GLOSS.finditer(text)]
        assert cleaning.collapse_space(text) == cleaning._INLINE_SPACE.sub(" ", text)
        assert cleaning.unescape_quotes(text) == cleaning._ESCAPED_QUOTE.sub(r"\1", text)
        for fast, plain in ((paragraphs._trailing_credit, paragraphs._TRAILING_CREDIT.search),
                            (paragraphs._glued_heading, paragraphs._GLUED_HEADING.match)):
            got, want = fast(text), plain(text)
            assert (got and got.span()) == (want and want.span()), text


def test_block_kinds_equal_the_plain_rules(articles):
    forms = {form for text in articles for form in analysis_forms([l for l, _ in clean_lines(text) if l])}
    forms |= {analysis_form(line) for line in EXTRAS}
    for text in forms:
        assert paragraphs._kind_of(text) == plain_kind_of(text), text


def test_copyright_anchors_fold_to_nothing_else():
    """Every match of the case-blind copyright pattern holds one of its anchors: checked over all
    of Unicode, no other character matches an anchor's characters case-blind."""
    chars = set("".join(paragraphs._COPYRIGHT_ANCHORS))
    blind = re.compile("[" + re.escape("".join(sorted(chars))) + "]", re.IGNORECASE)
    others = [c for c in range(0x110000) if not 0xD800 <= c < 0xE000 and chr(c) not in chars and blind.fullmatch(chr(c))]
    assert others == []
    assert {"c", "C"} <= chars  # for "copyright" and "ICP", the only Latin branches
    # one line per branch of the pattern, alone: each is found through its anchor
    branches = ["版权声明", "版权所有", "CopyRight", "© 某网", "未经许可 转载", "不得转载", "本站仅提供信息存储空间",
                "不承担相应法律责任", "侵权请联系删除", "京icp备1号", "公网安备", "网站标识码", "备案号", "主办单位：县委",
                "技术支持 ：某公司"]
    for line in branches:
        assert paragraphs._COPYRIGHT.search(line) and paragraphs._kind_of(line) == paragraphs.COPYRIGHT, line


def test_one_anchor_scan_is_the_sixteen_in_tests(articles):
    """``_ANCHORED`` (one regex of the copyright anchors) finds one exactly when some anchor is in the line."""
    rng = random.Random(13)
    alphabet = list("".join(paragraphs._COPYRIGHT_ANCHORS)) + list("版權cC©，。 a1本站")
    lines = [line for text in articles for line in text.split("\n")]
    lines += ["".join(rng.choices(alphabet, k=rng.randint(0, 12))) for _ in range(20000)]
    for line in lines:
        want = any(anchor in line for anchor in paragraphs._COPYRIGHT_ANCHORS)
        assert (paragraphs._ANCHORED.search(line) is not None) == want, line
        assert paragraphs._is_copyright(line) == (want and paragraphs._COPYRIGHT.search(line) is not None), line


def test_garbled_repairs_equal_the_plain_search(articles, monkeypatch):
    lines = [line for text in articles for line in text.split("\n") if "?" in line or "\ufffd" in line]
    assert lines
    fast = [garbled.repair_garbled(line) for line in lines]
    monkeypatch.setattr(garbled, "_guess", plain_guess)
    assert fast == [garbled.repair_garbled(line) for line in lines]


def test_json_lines_equal_json_dumps(seed_docs):
    import json

    from toolkit.themes.classifier import classify_document
    from toolkit.records import json_line, json_lines

    records = [
        {"s": "“引号”\"\\\n\t\u2028\x00é𠮷", "none": None, "t": True, "f": False, "i": -3, "big": 10**30,
         "x": 0.1 + 0.2, "r": round(2 / 3, 4), "e": 1e-7, "nan": float("nan"), "inf": float("-inf"),
         "nested": {"a": [1, 2.5, None, "字"]}, "list": ["p", 0.0]},
        {1: "int key", "a": 1}, {},
    ]
    for doc in seed_docs.values():
        result = classify_document(doc)
        records += result.rows("paragraph") + result.rows("document")
    for record in records:
        assert json_line(record) == json.dumps(record, ensure_ascii=False) + "\n"
    assert json_lines(records) == "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    # runs of records with the same keys, encoded a column at a time: columns of one type, of
    # mixed types, with a value json writes its own way (nan, inf, a huge int, a bool among ints)
    same = [
        [{"a": "x", "b": 1.5, "%s": None, "d": 1}, {"a": "é\n", "b": 0.1 + 0.2, "%s": "k", "d": 10**30}],
        [{"f": 1.0, "g": True}, {"f": float("nan"), "g": 2}, {"f": float("inf"), "g": None}],
        [{"f": 1e308}, {"f": 1e308}],  # finite values whose sum overflows
        [{}, {}, {"x": 1}, {"x": 2}, {1: "int key"}, {1: "again"}, {"x": [1, "字"]}, {"x": {"y": 2}}],
        [{"a": 1, "b": 2}, {"b": 2, "a": 1}],  # the same keys in another order
    ]
    for run in same:
        assert json_lines(run) == "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in run)


def test_labels_are_the_first_highest_probability(seed_docs, articles):
    """classify_document picks each label from the row of probabilities (the first label of highest
    probability, as ``max(classes, key=probabilities.get)`` did) and codes structure ``other``."""
    from toolkit.themes.classifier import classify_document, classify_text, load_model

    model = load_model()
    results = [classify_document(doc, model) for doc in seed_docs.values()]
    results += [classify_text(text, model) for text in articles if text.strip()]
    for result in results:
        for p in result.paragraphs:
            assert list(p.probabilities) == model.classes
            assert p.label == max(model.classes, key=p.probabilities.get)
            assert p.confidence == p.probabilities[p.label]
            if p.boilerplate is not None:
                assert p.probabilities == {c: float(c == "other") for c in model.classes}


def test_analysis_form_and_chinese_share_equal_their_plain_forms(articles):
    import re

    from toolkit.text.cleaning import _PUNCT_FORMS, to_simplified
    from toolkit.text.patterns import chinese_share

    chinese = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

    def plain_share(text):
        sample = text[:200_000]
        letters = sum(map(str.isalpha, sample))
        return len(chinese.findall(sample)) / letters if letters else 1.0

    odd = ["", "123 !?", "English only", "𠮷野家𫟼ⅷ②䷀", "a\ud800b 字", "「引號」(1):好!"]
    for text in articles + odd:
        assert chinese_share(text) == plain_share(text)
        for line in text.split("\n") if "\ud800" not in text else ():  # OpenCC refuses lone surrogates
            assert analysis_form(line) == to_simplified(line).translate(_PUNCT_FORMS)


def test_menu_runs_equal_the_plain_scan():
    """Runs of short unpunctuated headings become navigation as the block-by-block scan made them."""
    P = paragraphs

    def plain(blocks, max_len=8, min_run=4):
        def menu_like(b):
            return b.kind in (P.HEADING, P.NAVIGATION, P.QR) and len(b.text) <= max_len and not P._PUNCT.search(b.text)

        i = 0
        while i < len(blocks):
            j = i
            while j < len(blocks) and menu_like(blocks[j]):
                j += 1
            if j - i >= min_run:
                for b in blocks[i:j]:
                    if b.kind == P.HEADING:
                        b.kind = P.NAVIGATION
            i = max(j, i + 1)

    rng = random.Random(11)
    kinds = [P.HEADING, P.HEADING, P.NAVIGATION, P.QR, P.BODY, P.CAPTION]
    texts = ["首页", "新闻中心", "乡镇动态", "一个很长的标题超过八个字", "村，镇", "扫码", ""]
    for _ in range(3000):
        layout = [(rng.choice(kinds), rng.choice(texts)) for _ in range(rng.randint(0, 14))]
        fast = [P._Block(text, [], kind=kind) for kind, text in layout]
        slow = [P._Block(text, [], kind=kind) for kind, text in layout]
        P._mark_menu_runs(fast)
        plain(slow)
        assert [b.kind for b in fast] == [b.kind for b in slow]


def test_chinese_share_by_one_table_equals_the_plain_count(articles):
    """The table of letter kinds gives :func:`chinese_share` the plain per-character count's share."""
    from toolkit.text.patterns import chinese_share

    def plain(text):
        text = text[:200_000]
        letters = sum(ch.isalpha() for ch in text)
        chinese = sum(0x3400 <= ord(ch) <= 0x9FFF or 0xF900 <= ord(ch) <= 0xFAFF or 0x20000 <= ord(ch) <= 0x3134F
                      for ch in text)
        return chinese / letters if letters else 1.0

    rng = random.Random(13)
    alphabet = ["a", "Z", "中", "\u3400", "\u4dbf", "\u9fff", "\ua000", "\uf900", "\ufaff", "\ufb00", "1", "，", " ",
                "é", "\u33ff", "\U00020000", "\U0003134f", "\U00031350", "\U0001d400", "\u3007"]
    samples = articles + ["", " ", "123"] + ["".join(rng.choices(alphabet, k=rng.randint(0, 30))) for _ in range(3000)]
    for text in samples:
        assert chinese_share(text) == plain(text), text
