"""The GBK off-by-one repair, checked on the real seed text rather than on made-up strings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from toolkit.garbled import GarbledRun, looks_garbled, repair_garbled

_LOCAL = Path(__file__).resolve().parents[1] / "seeds"
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
    originals = re.findall(r"\?[!！][^,。“”a-z]*", seed0)
    for run in runs:
        assert 0 <= run.start < run.end <= len(repaired)
        assert any(run.original.startswith(o) for o in originals)
    doubtful = [repaired[r.start : r.end] for r in runs]
    # 經 is lost (only its gloss survives), 拉善 vanished as an unmappable pair, 了 and 人 are lost;
    # 興 comes back whole from 吲 + the realigning "d", so that run is not reported.
    assert doubtful == ["經", "拉善", "\ufffd", "\ufffd"]
    assert not any("蓖" in r.original for r in runs)


def test_swallowed_gloss_bracket_is_restored_for_the_gloss_remover(seed0):
    from toolkit.cleaning import remove_glosses

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
