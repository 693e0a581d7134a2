"""classify warns once per run when a corpus looks unlike the training data."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.coding.drift import DriftMonitor, bigram_codes

OFF_TOPIC = [
    "国际足联今天宣布，下一届世界杯将在三个国家联合举办，共有四十八支球队参赛，决赛门票已经开始预订。",
    "央行宣布下调存款准备金率零点五个百分点，释放长期资金约一万亿元，股市应声上涨，银行板块领涨。",
    "这款新手机搭载了最新的处理器，屏幕刷新率达到一百二十赫兹，电池续航提升百分之二十，售价不变。",
    "演唱会门票在开售三分钟内售罄，歌迷们在社交媒体上抱怨抢票系统崩溃，主办方表示将加开一场。",
    "研究人员在深海发现了一种新的发光水母，其基因可能用于医学成像，相关论文发表在国际期刊上。",
]


@pytest.fixture(scope="module")
def model(repo_dir):
    from toolkit.themes.classifier import load_model

    return load_model(repo_dir / "models" / "theme.skops")


def test_the_seeds_look_familiar(model, seed_docs):
    from toolkit.themes.classifier import classify_document

    monitor = DriftMonitor.for_model(model)
    for doc in seed_docs.values():
        monitor.update(classify_document(doc, model))
    assert monitor.paragraphs_ > 100 and monitor.message() is None


def test_off_topic_and_foreign_text_are_named(model):
    from toolkit.themes.classifier import classify_text

    news = DriftMonitor.for_model(model).update(classify_text("\n\n".join(OFF_TOPIC * 4), model))
    assert any("new to the model" in s for s in news.signs())
    english = "\n\n".join(f"The village committee {i} met to discuss the cooperative's sales." for i in range(30))
    assert any("not Chinese" in s for s in DriftMonitor.for_model(model).update(classify_text(english, model)).signs())
    short = DriftMonitor.for_model(model).update(classify_text(OFF_TOPIC[0], model))
    assert short.message() is None  # one paragraph is too little to tell


def test_classify_warns_once_per_run(tmp_path, repo_dir, seeds_dir):
    for i in range(3):
        (tmp_path / f"news{i}.txt").write_text("\n\n".join(OFF_TOPIC[i:] + OFF_TOPIC[:i]), encoding="utf-8")
    runner = CliRunner()
    model = str(repo_dir / "models" / "theme.skops")
    result = runner.invoke(app, ["classify", str(tmp_path), "--format", "jsonl", "--model", model])
    assert result.exit_code == 0, result.output
    warnings = [l for l in result.stderr.splitlines() if l.startswith("warning:")]
    assert len(warnings) == 1 and "toolkit labels suggest" in warnings[0]
    quiet = runner.invoke(app, ["classify", str(seeds_dir), "--format", "jsonl", "--model", model])
    assert "warning:" not in quiet.stderr


def _reference_count(monitor, result, analysis=None):
    """The plain per-paragraph loop :meth:`DriftMonitor.count` must agree with, number for number."""
    import re

    import numpy as np

    from toolkit.text.cleaning import analysis_form

    han_re = re.compile("[\u4e00-\u9fff\u3400-\u4dbf]")
    letters_total = foreign = paragraphs = low = 0
    pairs_per_paragraph = []
    codes = monitor.bigrams
    for i, p in enumerate(result.paragraphs):
        if p.boilerplate is not None:
            continue
        letters = sum(map(str.isalpha, p.text))
        han = len(han_re.findall(p.text))
        letters_total += letters
        foreign += letters - han
        if han < 0.5 * letters or not letters:
            continue
        paragraphs += 1
        if p.confidence < monitor.low:
            low += 1
        if codes is not None and len(pairs_per_paragraph) < monitor.vocabulary_sample:
            text = analysis[i] if analysis is not None else analysis_form(p.text)
            points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
            is_han = ((points >= 0x4E00) & (points <= 0x9FFF)) | ((points >= 0x3400) & (points <= 0x4DBF))
            both = is_han[:-1] & is_han[1:]
            pairs = (points[:-1][both] << 21) | points[1:][both]
            known = np.searchsorted(codes, pairs)
            known[known == len(codes)] = 0
            found = int(np.count_nonzero(codes[known] == pairs)) if len(codes) else 0
            pairs_per_paragraph.append((len(pairs), len(pairs) - found))
    return letters_total, foreign, paragraphs, low, pairs_per_paragraph


def test_counts_equal_the_plain_loop(model, seed_docs):
    """The vectorised counts are the per-paragraph loop's, on the seeds and on awkward text
    (Traditional, astral characters, Latin, digits, empty-ish paragraphs, a small sample)."""
    from toolkit.themes.classifier import classify_document, classify_text

    odd = "\n\n".join(OFF_TOPIC + ["𠀀𠀁𠮷野家的牛肉饭。", "The village committee met 3 times.", "１２３。", "黨建引領，產業興旺。", "…"])
    results = [classify_document(doc, model) for doc in seed_docs.values()] + [classify_text(odd, model)]
    for monitor in (DriftMonitor.for_model(model), DriftMonitor(None), DriftMonitor(bigram_codes(())),
                    DriftMonitor.for_model(model, vocabulary_sample=3)):
        for result in results:
            assert monitor.count(result) == _reference_count(monitor, result)


@pytest.mark.parametrize("max_bits", [1 << 27, 0])  # 0: a vocabulary too large for the matrix is searched
def test_han_pair_matrix_knows_exactly_the_vocabulary_pairs(max_bits, monkeypatch):
    """The bit matrix answers as the set of bigrams does, for random Han pairs, pairs of the
    vocabulary, pairs of a character it never saw, and a vocabulary of non-Han pairs only."""
    import random

    import numpy as np

    from toolkit.coding.drift import _HanPairs

    monkeypatch.setattr(_HanPairs, "MAX_BITS", max_bits)
    rng = random.Random(5)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 300)] + [chr(c) for c in range(0x3400, 0x3420)] + ["\u9fff"]
    vocabulary = {a + b for a, b in zip(rng.choices(han, k=3000), rng.choices(han, k=3000))} | {"，村", "ab", "村1"}
    queries = [a + b for a, b in zip(rng.choices(han, k=5000), rng.choices(han, k=5000))] + sorted(vocabulary)
    queries = [q for q in queries if all(0x3400 <= ord(c) <= 0x4DBF or 0x4E00 <= ord(c) <= 0x9FFF for c in q)]
    queries += ["丁\u9ffe", "\u9ffe\u9ffe"]  # a character no known pair uses
    for known in (vocabulary, {"ab", "，村"}, set()):
        codes = np.sort(np.array([(ord(b[0]) << 21) | ord(b[1]) for b in known], dtype=np.int64))
        pairs = np.array([(ord(q[0]) << 21) | ord(q[1]) for q in queries], dtype=np.int64)
        assert _HanPairs(codes).known(pairs).tolist() == [q in known for q in queries]


def test_the_pair_lookup_is_built_once_per_model_and_not_kept_for_old_ones():
    from toolkit.coding import drift

    first, second = bigram_codes(["合作", "作社"]), bigram_codes(["治理", "理念"])
    a = DriftMonitor(first)._han_pairs()
    assert DriftMonitor(first)._han_pairs() is a  # a second monitor of the same model reuses it
    b = DriftMonitor(second)._han_pairs()
    assert b is not a and len(drift._PAIRS) == 1  # another model's replaces it: nothing piles up
