"""Reading real articles in the encodings they arrive in, and refusing what is not an article."""

from __future__ import annotations

import codecs
import io
import sys

import pytest

from toolkit.errors import InputError
from toolkit.text.reading import decode, iter_sources, read_document, read_text


@pytest.fixture(scope="module")
def seed_text(seed_paths):
    # seed 002 is Simplified: every character exists in GB18030, GBK and UTF-16
    return seed_paths[2].read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "encoding,bom",
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("gb18030", b""),
        ("gbk", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
    ],
)
def test_every_encoding_reads_to_the_same_text(tmp_path, seed_text, encoding, bom):
    path = tmp_path / f"article-{encoding}.txt"
    path.write_bytes(bom + seed_text.encode(encoding))
    text, _ = read_text(str(path))
    assert text == seed_text.replace("\r\n", "\n")


def test_gb18030_article_segments_like_the_utf8_original(tmp_path, seed_paths, seed_docs):
    original = seed_docs[seed_paths[2].name]
    path = tmp_path / "gb.txt"
    path.write_bytes(seed_paths[2].read_text(encoding="utf-8").encode("gb18030"))
    doc = read_document(str(path))
    assert [p.text for p in doc.paragraphs] == [p.text for p in original.paragraphs]
    assert doc.encoding == "gb18030"


def test_crlf_line_ends_do_not_change_paragraphs(tmp_path, seed_paths, seed_docs):
    path = tmp_path / "crlf.txt"
    path.write_bytes(seed_paths[1].read_bytes().replace(b"\n", b"\r\n"))
    doc = read_document(str(path))
    assert [p.text for p in doc.paragraphs] == [p.text for p in seed_docs[seed_paths[1].name].paragraphs]


def test_empty_file_is_an_error_naming_it(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.txt: empty file"):
        read_text(str(path))
    path.write_bytes(b" \n\r\n\t")
    with pytest.raises(InputError, match="empty file"):
        read_text(str(path))


def test_binary_file_is_an_error_naming_it(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    with pytest.raises(InputError, match=r"image\.txt: binary file"):
        read_text(str(path))


def test_missing_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(InputError, match="nope.txt: no such file"):
        read_text(str(tmp_path / "nope.txt"))


def test_sources_expand_folders_recursively_and_globs(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b").mkdir()
    for name in ("a/one.txt", "a/b/two.md", "a/b/skip.csv", "three.txt"):
        (tmp_path / name).write_text("正文。", encoding="utf-8")
    assert [p.replace(str(tmp_path), "") for p in iter_sources([str(tmp_path / "a")])] == [
        "/a/b/two.md",
        "/a/one.txt",
    ]
    assert list(iter_sources([str(tmp_path / "*.txt")])) == [str(tmp_path / "three.txt")]
    # the same file named twice is read once
    assert len(list(iter_sources([str(tmp_path / "three.txt"), str(tmp_path / "*.txt")]))) == 1
    with pytest.raises(InputError, match="no .txt or .md files"):
        list(iter_sources([str(tmp_path / "*.docx")]))


def test_stdin_is_read_as_bytes_and_decoded(monkeypatch, seed_text):
    fake = io.TextIOWrapper(io.BytesIO(seed_text.encode("gb18030")))
    monkeypatch.setattr(sys, "stdin", fake)
    doc = read_document("-")
    assert doc.name == "<stdin>"
    assert doc.paragraphs[0].text == "核心阅读"


def test_decode_prefers_exact_checks_over_guessing():
    assert decode("党建引领".encode("utf-8"))[1] == "utf-8"
    assert decode(codecs.BOM_UTF8 + "党建".encode("utf-8")) == ("党建", "utf-8-sig")
