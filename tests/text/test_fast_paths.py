"""The fast paths of classify give byte for byte what the straightforward code gives.

Each optimised step is compared with a plain reference on the seeds and on varied synthetic
articles (page furniture, lines broken mid-sentence, Traditional script, glosses, escaped quotes,
full-width digits, garbled runs, English): cleaning the whole text at once against
:func:`clean_line` line by line, one OpenCC call per document against one per paragraph, the
seam check without jieba against jieba, and whole documents segmented either way.
"""

from __future__ import annotations

import csv
import random

import pytest

from toolkit.text import paragraphs
from toolkit.text.cleaning import analysis_form, analysis_forms, clean_line, clean_lines
from toolkit.text.tokens import cut

EXTRAS = [
    "图为村民在合作社分拣蔬菜。（张三 摄）", "来源：人民日报 2022-05-27", "发布时间:2022-05-27 17:03",
    "责任编辑：李四", "版权所有 © 2022 某某网 未经授权不得转载", "首页 > 新闻 > 地方", "扫一扫关注公众号",
    "相关新闻：", "首页 新闻 政务 服务 互动", "一、强化组织建设", "【乡村振兴】", "本报记者 王五",
    "（图片由县委宣传部提供）", "产值达到１２．５％，增长３０００万元", "金秋時節(jié)，碩果飄香", "开战\\’，\\\"最强\\\"",
    "乡镇  村庄  合作社  农户", "第12期", "《人民日报》(2020年12月14日 10 版)", "Hello world, this is English.",
    "村里\u3000开展\u00a0植树造林\u200b", "收入增加到2.5万元", "筑强先锋堡垒点燃乡村振兴“红引擎”一是建强组织，选好带头人。",
    "總工程已?完成60%", "當?shù)剞r(nóng)牧民", "  前后有空格  ", "",
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


def reference_segment(text: str, monkeypatch) -> list:
    """:func:`paragraphs.segment` with every fast path replaced by the plain per-line code."""
    with monkeypatch.context() as patch:
        patch.setattr(paragraphs, "clean_lines", lambda t: [clean_line(line) for line in t.split("\n")])
        patch.setattr(paragraphs, "analysis_forms", lambda texts: [analysis_form(t) for t in texts])
        patch.setattr(paragraphs, "SEAM_BREAKS", frozenset())
        return paragraphs.segment(text)


def test_segmented_documents_equal_the_reference(articles, monkeypatch):
    for text in articles:
        fast, plain = paragraphs.segment(text), reference_segment(text, monkeypatch)
        assert [(p.index, p.text, p.kind, p.garbled, p.analysis_text) for p in fast] == \
               [(p.index, p.text, p.kind, p.garbled, p.analysis_text) for p in plain]


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
