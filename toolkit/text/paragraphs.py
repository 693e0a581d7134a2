"""Rebuilding an article's paragraphs from a scraped page.

Pages break paragraphs mid-sentence, drop photo captions into the middle of a sentence, and wrap
the article in menus, bylines, QR-code blurbs, copyright notices and link lists. Boilerplate is
*flagged* with a kind rather than dropped, so that classification still shows every line of the
input and the model can learn what page furniture looks like; summaries skip it.
"""

from __future__ import annotations

import re
from itertools import groupby

from toolkit.text.cleaning import analysis_form, analysis_forms, clean_lines, quote_forms
from toolkit.text.parts import (
    BODY,
    BYLINE,
    CAPTION,
    COPYRIGHT,
    HEADING,
    LINKS,
    NAVIGATION,
    QR,
    Paragraph,
)
from toolkit.text.garbled import GarbledRun
from toolkit.text.sentences import ends_sentence, split_sentences

_PUNCT = re.compile(r"[，。！？、；：,.!?;:“”\"（）()《》]")

_COPYRIGHT = re.compile(
    r"版权声明|版权所有|copyright|©|未经.{0,12}(授权|许可|同意).{0,12}(转载|使用|复制)"
    r"|不得转载|本站仅提供信息存储空间|不承担.{0,8}法律责任|侵权.{0,10}(删除|联系)"
    # site footers: licence numbers, sponsor and technical-support lines
    r"|ICP[备证]|公网安备|网站标识码|备案号|^(主办|承办|协办)(单位)?\s*[:：]|技术支持\s*[:：]",
    re.IGNORECASE,
)
_LINKS_HEADER = re.compile(
    r"^(新闻推荐|相关新闻|相关阅读|相关链接|推荐阅读|延伸阅读|猜你喜欢|频道推荐|热点阅读|热点排行"
    r"|图文看点|热门推荐|精彩推荐|更多新闻|往期回顾|热门文章|今日推荐|网友评论)\s*[:：]?"
)
_QR = re.compile(r"二维码|扫码|扫一扫|订阅号|公众号|微平台|微信号|长按识别|点击上方.{0,12}关注|关注我们")
_NAV_WORDS = re.compile(
    r"首页|当前位置|网站地图|今日天气|网站联盟|登录|注册|打印本页|关闭窗口|返回顶部|上一篇|下一篇"
    r"|分享到|^字号|收藏本站|设为首页"
)
_BREADCRUMB = re.compile(r"\s[>»›]\s?|\s?[>»›]\s")
_FIELD = re.compile(
    r"^(来源|作者|发布时间|发布日期|更新时间|时间|日期|编辑|责任编辑|责编|审核|审校|校对|稿源|出处"
    r"|浏览次数|阅读量|点击数|供稿|撰稿|监制|统筹)\s*[:：]"
)
# Editor, author and review fields anywhere in a short line: 【责任编辑:…】, （编辑：… 审核：…）
_EDITOR = re.compile(r"(责任)?编辑\s*[:：]|责编|审核\s*[:：]|[一二三]审\s*[:：]|作者\s*[:：]|来源\s*[:：]|发表于|记者.{0,12}(整理|报道)")
#: A calendar date as pages write it (2022-05-27, 2022/5/27, 2022.5.27, 2022年5月27日): year,
#: month and day as groups. Bylines, publication fields and print sources are found with it, and
#: :func:`published_date` reads the date back out of them.
DATE = r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})"
_DATE = re.compile(DATE)
_DATED = re.compile(rf"^\S{{0,20}}\s*{DATE}日?\s+\d{{1,2}}:\d{{2}}")
_MENU_SEPARATORS = re.compile(r"\s[|｜]\s|[|｜].*[|｜]")
_BYLINE = re.compile(r"^[■●▲◆□]?\s*\S{0,12}(记者|通讯员|特约撰稿|实习生)\s*[\u4e00-\u9fff]{2,4}(\s|$|[，,])")
_DATE_ONLY = re.compile(rf"^{DATE}\s*日?(\s+\d{{1,2}}:\d{{2}}(:\d{{2}})?)?$")
_PRINT_SOURCE = re.compile(r"^《\s*\S+\s*》\s*[(（].{0,20}\d{1,2}\s*版\s*[)）]$")
_ISSUE = re.compile(r"第\s*\d+\s*期$")
_STANDALONE_CREDIT = re.compile(r"^[(（]?\S{1,8}\s*摄[)）]?$|^[(（]?(图|摄影)\s*[/:：]\s*\S{1,12}[)）]?$")
_CAPTION = re.compile(
    r"(^|\s|[(（])\S{1,8}\s*摄\s*[)）]?(\s|$)|摄影\s*[:：]|^图为|^[(（]?图\s*[/:：]|资料图|供图|图片来源|[(（]图片由.{1,40}提供[)）]"
)
_TRAILING_CREDIT = re.compile(r"[(（](图片由[^()（）]{1,40}提供|[^()（）]{0,20}摄|图[/:：][^()（）]{1,20})[)）]$")


def _trailing_credit(text: str) -> "re.Match | None":
    """``_TRAILING_CREDIT.search(text)``, skipped for lines not ending in a bracket (``$`` also before a line break)."""
    return _TRAILING_CREDIT.search(text) if text.endswith((")", "）", ")\n", "）\n")) else None


def segment(text: str) -> list[Paragraph]:
    # clean_lines keeps one line per line of the text, so the raw line gives each its quote form.
    cleaned = clean_lines(text)
    blocks = [_Block(line, runs, quote) for (line, runs), quote in zip(cleaned, quote_forms(text, cleaned)) if line]
    _split_trailing_credits(blocks)
    _split_glued_headings(blocks)
    for block, form in zip(blocks, analysis_forms([b.text for b in blocks])):
        block.form = form
        block.kind = _kind_of(form)
    _mark_link_tail(blocks)
    _mark_menu_runs(blocks)
    blocks = _repair_breaks(blocks, _item_runs(blocks))
    joined = [b for b in blocks if b.form is None]  # blocks that absorbed others: converted again, in one call
    for block, form in zip(joined, analysis_forms([b.text for b in joined])):
        block.form = form
    _mark_credited_captions(blocks)
    _mark_tail_captions(blocks)
    return [Paragraph(i, b.text, b.kind, b.runs, b.analysis(), b.quote) for i, b in enumerate(blocks)]


def published_date(paragraphs) -> "date | None":
    """The date an article was published, from its first dated byline; None when it has none.

    Only page furniture that carries the publication date is read: publication fields
    (``发布时间:2022-05-27 17:03``, ``来源:凉山日报 2017-08-11``), print sources
    (``《人民日报》(2020年12月14日 10 版)``) and date lines, all of kind ``byline``. Dates in the
    body are what the article is about, not when it appeared, and are never taken.
    """
    from datetime import date

    for p in paragraphs:
        if p.kind != BYLINE:
            continue
        for match in _DATE.finditer(p.analysis_text):
            year, month, day = (int(g) for g in match.groups())
            if 1900 <= year <= 2100:
                try:
                    return date(year, month, day)
                except ValueError:
                    continue
    return None


class _Block:
    __slots__ = ("text", "runs", "kind", "form", "quote")

    def __init__(self, text: str, runs: list[GarbledRun], quote: str | None = None, kind: str = BODY):
        self.text = text
        self.runs = runs
        self.kind = kind
        self.form: str | None = None  # analysis form of ``text``, once computed
        self.quote = quote  # ``text`` as the file wrote it (same length), None when the same

    def cut(self, start: int, end: int | None = None) -> "_Block":
        """A block of ``text[start:end]`` (no garbled runs), its quote form cut alike."""
        return _Block(self.text[start:end], [], None if self.quote is None else self.quote[start:end])

    def analysis(self) -> str:
        if self.form is None:
            self.form = analysis_form(self.text)
        return self.form

    def absorb(self, other: "_Block") -> None:
        shift = len(self.text)
        sep = " " if self.text[-1:].isascii() and self.text[-1:].isalnum() and other.text[:1].isascii() and other.text[:1].isalnum() else ""
        shift += len(sep)
        if self.quote is not None or other.quote is not None:
            self.quote = (self.quote or self.text) + sep + (other.quote or other.text)
        self.text = self.text + sep + other.text
        self.form = None  # OpenCC converts phrases, which may span the seam: convert the joined text again
        self.runs = self.runs + [GarbledRun(r.start + shift, r.end + shift, r.original) for r in other.runs]


def _kind_of(text: str) -> str:
    """Kind of one block from the analysis form of its text; context rules run afterwards.

    Patterns are matched on the analysis form (Simplified, one punctuation form), so that one set
    of patterns covers 來源/来源, 圖為/图为 and half- or full-width colons alike. Cheap tests (length,
    sentence end, a character every match holds) come before each regex, in the rules' order.
    """
    n = len(text)
    if _is_copyright(text):
        return COPYRIGHT
    if n <= 60 and _LINKS_HEADER.match(text):
        return LINKS
    if n <= 40 and _QR.search(text):
        return QR
    if _FIELD.match(text) or _DATE_ONLY.match(text) or _PRINT_SOURCE.match(text):
        return BYLINE
    ends = n <= 120 and ends_sentence(text)  # read only by the rules for lines of at most 120
    if n <= 60 and (_BYLINE.match(text) or (not ends and _ISSUE.search(text))):
        return BYLINE
    if n <= 90 and not ends and (_EDITOR.search(text) or _DATED.match(text)):
        return BYLINE
    if n <= 80 and not ends and (_NAV_WORDS.search(text) or _BREADCRUMB.search(text)):
        return NAVIGATION
    if _is_menu_line(text) or (n <= 120 and not ends and _MENU_SEPARATORS.search(text)):
        return NAVIGATION
    if n <= 200 and ("摄" in text or "图" in text) and _CAPTION.search(text):  # every caption pattern holds one
        return CAPTION
    if _is_heading(text):
        return HEADING
    return BODY


#: A substring that every match of :data:`_COPYRIGHT` holds, one per branch (``c``/``C`` for the
#: case-blind ``copyright`` and ``ICP``: a test checks that nothing else folds to them); ``in``
#: tests for them cost a fraction of the regex search on the lines, most, that hold none.
_COPYRIGHT_ANCHORS = ("版权", "©", "未经", "不得转载", "本站仅提供信息存储空间", "不承担", "侵权", "c", "C",
                      "公网安备", "网站标识码", "备案号", "主办", "承办", "协办", "技术支持")


_ANCHORED = re.compile("|".join(map(re.escape, _COPYRIGHT_ANCHORS)))  # any anchor: one scan, not 16


def _is_copyright(text: str) -> bool:
    return _ANCHORED.search(text) is not None and _COPYRIGHT.search(text) is not None


def _is_heading(text: str) -> bool:
    if text.startswith("【") and text.endswith("】"):
        return True
    if len(text) > 40 or ends_sentence(text):
        return False
    return "。" not in text


def _is_menu_line(text: str) -> bool:
    if _PUNCT.search(text):  # first: prose has a comma early on, and then nothing is split
        return False
    items = text.split()
    return len(items) >= 4 and all(len(i) <= 8 for i in items)


def _split_trailing_credits(blocks: list[_Block]) -> None:
    """``…幸福之果。(图片由…提供)``: the credit is a caption, not part of the last sentence."""
    i = 0
    while i < len(blocks):
        block = blocks[i]
        match = _trailing_credit(block.text)
        if match and match.start() > 0 and not block.runs:
            credit = block.cut(match.start())
            kept = block.cut(0, len(block.text[: match.start()].rstrip()))
            block.text, block.quote = kept.text, kept.quote
            blocks.insert(i + 1, credit)
            i += 1
        i += 1


# A section title run into its first point: 筑强先锋堡垒点燃乡村振兴“红引擎”一是建强组织. Every
# match holds 一是, 一、 or 首先: three fast scans come before the regex tries each length.
_GLUED_HEADING = re.compile(r"^([^，。！？；：,.!?;:]{6,30}?)(?=(一是|一、|首先[，,]))")


def _glued_heading(text: str) -> "re.Match | None":
    return _GLUED_HEADING.match(text) if "一是" in text or "一、" in text or "首先" in text else None


def _split_glued_headings(blocks: list[_Block]) -> None:
    i = 0
    while i < len(blocks):
        block = blocks[i]
        match = _glued_heading(block.text)
        if match and len(block.text) > 2 * match.end() and not block.runs:
            heading = block.cut(0, match.end(1))
            rest = block.cut(match.end())
            block.text, block.quote = rest.text, rest.quote
            blocks.insert(i, heading)
            i += 1
        i += 1


def _mark_link_tail(blocks: list[_Block]) -> None:
    """After a 相关新闻/猜你喜欢 header, the rest of a page is link lists and teasers."""
    for i, block in enumerate(blocks):
        if block.kind == LINKS:
            for later in blocks[i + 1 :]:
                if later.kind not in (COPYRIGHT, QR):
                    later.kind = LINKS
            return


def _mark_menu_runs(blocks: list[_Block], max_len: int = 8, min_run: int = 4) -> None:
    """Four or more short unpunctuated lines in a row are a menu (town lists, site sections)."""
    kinds = (HEADING, NAVIGATION, QR)
    start = 0
    for menu_like, run in groupby(b.kind in kinds and len(b.text) <= max_len and not _PUNCT.search(b.text)
                                  for b in blocks):
        end = start + sum(1 for _ in run)
        if menu_like and end - start >= min_run:
            for b in blocks[start:end]:
                if b.kind == HEADING:
                    b.kind = NAVIGATION
        start = end


def _item_runs(blocks: list[_Block], min_run: int = 4, min_chars: int = 16, typical_chars: int = 25) -> set[int]:
    """Indices of the blocks in runs of one-line items, which stand alone: never joined, never headings.

    A news digest (``每天60秒读懂世界``, a WeChat or TV roundup) writes each item as one line with
    no final punctuation: ``统计局：10月CPI同比上涨0.2%`` and the next item below it. Read as
    prose, each line would be glued to the next as a sentence broken by the page, and a short one
    taken for a heading; both lose the items, which readers and coders take one by one. So four or
    more unterminated lines in a row, each of at least ``min_chars`` characters and typically
    (median) ``typical_chars`` or more, are items, unless the lines are all about as long as
    each other, which is text hard-wrapped at a fixed width (its sentences do continue). The
    article's first line (its title, when it has one) is never an item.
    """
    def candidate(k: int) -> bool:
        b = blocks[k]
        return k > 0 and b.kind in (BODY, HEADING) and len(b.text) >= min_chars and not ends_sentence(b.text)

    items: set[int] = set()
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and candidate(j):
            j += 1
        if j - i >= min_run:
            lengths = sorted(len(b.text) for b in blocks[i:j])
            wrapped = lengths[-1] - lengths[0] <= 3
            if lengths[len(lengths) // 2] >= typical_chars and not wrapped:
                for k in range(i, j):
                    blocks[k].kind = BODY
                    items.add(k)
        i = max(j, i + 1)
    return items


def _repair_breaks(blocks: list[_Block], items: set[int] = frozenset()) -> list[_Block]:
    """Join body blocks that a page broke mid-sentence; lift out a caption dropped inside one.

    Prose never ends without sentence punctuation, so an unterminated body block continues in a
    later block. Which one is decided by whether a word spans the seam (满 + 意 → 满意; 转 + 化
    → 转化): when the next block does not continue the word but the one after it does, the next
    block is a caption that the page dropped into the sentence. One-line items (``items``, from
    :func:`_item_runs`) are complete as they are.
    """
    out: list[_Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        i += 1
        if i - 1 in items:
            out.append(block)
            continue
        while block.kind == BODY and not ends_sentence(block.text) and i < len(blocks) and i not in items:
            nxt = blocks[i]
            after = blocks[i + 1] if i + 1 < len(blocks) else None
            if nxt.kind == CAPTION and after is not None and after.kind in (BODY, HEADING) and i + 1 not in items:
                # a caption the page itself marks (图为…, …摄) dropped inside the sentence
                block.absorb(after)
                out.append(block)
                block = nxt
                i += 2
                break
            if nxt.kind not in (BODY, HEADING):
                break
            if nxt.kind == BODY and _continues(block.text, nxt.text):
                block.absorb(nxt)
                i += 1
            elif (
                after is not None
                and i + 1 not in items
                and after.kind in (BODY, HEADING)
                and len(after.text) <= 40
                and _continues(block.text, after.text)
            ):
                nxt.kind = CAPTION
                block.absorb(after)
                out.append(block)
                block = nxt
                i += 2
                break
            elif nxt.kind == BODY:
                block.absorb(nxt)
                i += 1
            else:
                break
        out.append(block)
    return out


#: Characters jieba never joins to a neighbour (it cuts them one by one: they are outside its
#: word-character class), so a seam beside one cannot be inside a word, and deciding it needs no
#: segmenter: a character model then never loads one (a test checks each against jieba).
SEAM_BREAKS = frozenset("，。、；：？！“”‘’（）《》〈〉「」『』【】〔〕—…·,;:?!()[]{}<>\"'/\\|~=*^$@`")


def _continues(left: str, right: str) -> bool:
    """True when jieba reads a word across the seam between ``left`` and ``right``."""
    if left[-1:] in SEAM_BREAKS or right[:1] in SEAM_BREAKS:
        return False
    from toolkit.text.tokens import cut

    head, tail = left[-4:], right[:4]
    seam = len(head)
    pos = 0
    for token in cut(head + tail):
        end = pos + len(token)
        if pos < seam < end:
            return True
        pos = end
    return False


def _mark_credited_captions(blocks: list[_Block]) -> None:
    """A short one-sentence line right before a standalone credit (（徐晨阳 摄）) is its caption."""
    for i, block in enumerate(blocks):
        if block.kind == CAPTION and _STANDALONE_CREDIT.match(block.analysis()) and i > 0:
            before = blocks[i - 1]
            if before.kind == BODY and len(before.text) <= 60 and len(split_sentences(before.text)) == 1:
                before.kind = CAPTION


def _mark_tail_captions(blocks: list[_Block]) -> None:
    """Captions gathered at the end of a page, after a photo credit, are short one-liners."""
    for i, block in enumerate(blocks):
        if block.kind == CAPTION and _trailing_credit(block.text):
            tail = blocks[i + 1 :]
            if tail and all(b.kind == BODY and len(b.text) <= 80 and b.text.count("。") <= 1 for b in tail):
                for b in tail:
                    b.kind = CAPTION
            return
