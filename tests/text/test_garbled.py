"""The GBK off-by-one repair, checked on the real seed text rather than on made-up strings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from toolkit.text.garbled import GarbledRun, repair_garbled


def looks_garbled(text: str) -> bool:
    """Whether :func:`repair_garbled` finds anything to repair."""
    return repair_garbled(text) != (text, [])

_LOCAL = Path(__file__).resolve().parents[2] / "seeds"
SEEDS = _LOCAL if _LOCAL.is_dir() else Path("/work/shared/seeds")

# Worked out from the bytes: the garbled chars re-encoded as GBK, prefixed with the lost 0xA1.
EXPECTED = ["。“總工程已", "。”阿拉善左旗黨建", "。“如今可不一樣", "。”王梅香高興地說", "。“我們嘎查常住人口不到百"]
# Characters a shifted decode produces and Chinese prose does not: kana, ⒗, ∪ and GBK-only rarities.
ODD = re.compile(r"[\u3040-\u30ff\u2460-\u24ff∪偣覀兏粯缃吲]")


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(prefix + "_*.txt")
    return path.read_text(encoding="utf-8")


def _outside(text: str, runs: list[GarbledRun]) -> str:
    for run in sorted(runs, key=lambda r: r.start, reverse=True):
        text = text[: run.start] + text[run.end :]
    return text


@pytest.fixture(scope="module")
def seed0() -> str:
    return _seed("000")


def test_seed0_has_five_runs_with_both_bang_forms(seed0):
    assert len(re.findall(r"\?[!！]", seed0)) == 5
    assert looks_garbled(seed0)


@pytest.mark.parametrize("bang", ["!", "！"])
def test_each_run_gets_its_quote_and_following_characters_back(seed0, bang):
    text = re.sub(r"\?[!！]", "?" + bang, seed0)
    repaired, runs = repair_garbled(text)
    for expected in EXPECTED:
        assert expected in repaired
    assert "?!" not in repaired and "?！" not in repaired
    assert not ODD.search(_outside(repaired, runs))


def test_lost_and_inferred_characters_are_reported(seed0):
    repaired, runs = repair_garbled(seed0)
    originals = re.findall(r"\?[!！][^,。“”a-z]*", seed0) + ["?shù)剞r"]
    for run in runs:
        assert 0 <= run.start < run.end <= len(repaired)
        assert any(run.original.startswith(o) for o in originals)
    doubtful = [repaired[r.start : r.end] for r in runs]
    # 經 is lost (only its gloss survives), 拉善 vanished as an unmappable pair, 了 and 人 are lost;
    # 興 comes back whole from 吲 + the realigning "d", so that run is not reported. 地 (before the
    # orphaned gloss tail shù)) has no other occurrence to be inferred from.
    assert doubtful == ["經", "拉善", "\ufffd", "\ufffd", "\ufffd"]
    assert not any("蓖" in r.original for r in runs)


def test_swallowed_gloss_bracket_is_restored_for_the_gloss_remover(seed0):
    from toolkit.text.cleaning import remove_glosses

    repaired, _ = repair_garbled(seed0)
    assert "已經(jīng)完成" in repaired
    assert "已經完成60%" in remove_glosses(repaired)


def test_line_by_line_repair_matches_and_marks_what_it_cannot_infer(seed0):
    # cleaning.clean_line repairs one line at a time, so the gloss elsewhere is out of sight.
    lines = [repair_garbled(line) for line in seed0.split("\n")]
    repaired = "\n".join(text for text, _ in lines)
    for expected in EXPECTED:
        assert expected in repaired
    assert "已\ufffd(jīng)" in repaired
    for text, runs in lines:
        assert not ODD.search(_outside(text, runs))
        assert all(text[r.start : r.end] in ("\ufffd", "拉善") for r in runs)


def test_repair_is_idempotent(seed0):
    once, _ = repair_garbled(seed0)
    assert repair_garbled(once) == (once, [])
    assert not looks_garbled(once)


@pytest.mark.parametrize("prefix", ["001", "002", "003", "004"])
def test_other_seeds_come_back_unchanged(prefix):
    text = _seed(prefix)
    assert repair_garbled(text) == (text, [])
    assert not looks_garbled(text)
    for line in text.split("\n"):
        assert repair_garbled(line) == (line, [])


@pytest.mark.parametrize(
    "text",
    [
        "What?! Really? (1) see https://example.com/a?b=1&c=2!",
        "真的吗?!我不信。你去吗?我去。",
        "???",
        "好!!!(2)第二条",
        "他叫王堃?喆喆说对。",
        "?こんにちは",
        "结果?！本站仅提供信息存储空间服务",
    ],
)
def test_ordinary_text_is_untouched(text):
    assert repair_garbled(text) == (text, [])
    assert not looks_garbled(text)


def test_shifted_simplified_sentence_after_a_lost_byte():
    # Synthesised the way the seed was damaged: GBK bytes of 。“…” with the first byte lost.
    source = "。“我们嘎查牧民先后种植梭梭,"
    shifted = source.encode("gbk")[1:-1].decode("gbk", errors="replace").replace("\ufffd", "?")
    garbled = "前文?" + shifted + ","
    assert looks_garbled(garbled)
    repaired, runs = repair_garbled(garbled)
    assert repaired.startswith("前文。“我们嘎查牧民先后种植梭")
    assert [repaired[r.start : r.end] for r in runs] == ["\ufffd"]


# The sixth site of seed 000: 當(dāng)地(dì)農(nóng) arrived as 當(dāng)?shù)剞r(nóng). 地's lead byte is lost (?), shù) is
# a gloss tail whose "(" went with it, and 剞r is D8|DE 72: the trail of 地 (B5 D8), then 農 (DE 72).
def test_lost_byte_before_an_orphaned_gloss_tail_is_repaired(seed0):
    assert "當(dāng)?shù)剞r(nóng)牧民" in seed0
    for text, runs in [repair_garbled(seed0), *map(repair_garbled, seed0.split("\n"))]:
        if "組織動員" not in text:
            continue
        assert "當(dāng)\ufffd農(nóng)牧民" in text and "剞" not in text and "shù)" not in text
        (run,) = [r for r in runs if r.original == "?shù)剞r"]
        assert text[run.start : run.end] == "\ufffd" and text[run.end] == "農"


def test_clean_line_reads_the_sixth_site_without_glosses(seed0):
    from toolkit.text.cleaning import clean_line

    (line,) = [line for line in seed0.split("\n") if "組織動員" in line]
    text, runs = clean_line(line)
    assert "組織動員當\ufffd農牧民以入股分紅" in text
    assert not re.search("剞|shù\\)|\\(nóng\\)", text)
    assert [text[r.start : r.end] for r in runs] == ["\ufffd", "\ufffd"]
    assert text[runs[0].start - 1 : runs[0].end + 1] == "當\ufffd農"


@pytest.mark.parametrize("context", ["當(dāng)地(dì)農(nóng)業", "當地農業"])
def test_character_before_an_orphaned_tail_is_inferred_from_the_document(context):
    text = context + "。\n組織動員當(dāng)?shù)剞r(nóng)牧民"
    repaired, runs = repair_garbled(text)
    assert repaired.endswith("組織動員當(dāng)地農(nóng)牧民")
    assert [(repaired[r.start : r.end], r.original) for r in runs] == [("地", "?shù)剞r")]


def test_orphaned_tail_run_may_end_where_the_decoder_gave_up():
    # 農's lead byte DE met "(" and was written as ?; its gloss pins it down when it occurs elsewhere.
    repaired, runs = repair_garbled("當?shù)剞?(nóng)牧民")
    assert repaired == "當\ufffd\ufffd(nóng)牧民"
    assert [repaired[r.start : r.end] for r in runs] == ["\ufffd\ufffd"]
    repaired, runs = repair_garbled("當?shù)剞?(nóng)牧民,農(nóng)業")
    assert repaired.startswith("當\ufffd農(nóng)牧民")
    assert [repaired[r.start : r.end] for r in runs] == ["\ufffd農"]


@pytest.mark.parametrize(
    "text",
    [
        "why?so) 好的",
        "Q?A)问答",
        "读音?dú)读书的读",  # a real tail, but plain prose after it does not re-pair
        "拼音写作?zhōng)，中间的中",
        "你好\ufffdnǐ)你好",
        "你说什么?shì)嗯?好的",
        "https://a.b/?q=ā)中文",
        "当?shù)剞",  # nothing realigns the decoder: no evidence of where the run ends
        "当?shù)剞r ok",  # realigned, but into ASCII text, not a gloss or Han text
        "當?shù)氐脑谵r(nóng)",  # re-pairs (地的在農), but the run is mostly common: not odd enough
    ],
)
def test_orphan_tail_trigger_leaves_ordinary_text_alone(text):
    assert repair_garbled(text) == (text, [])
    assert not looks_garbled(text)
