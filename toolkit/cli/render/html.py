"""``toolkit report`` as one self-contained HTML page: the corpus view and a view per document.

The page is :file:`report.html` (CSS and a little vanilla JavaScript, inline) with the body built
here from a :class:`toolkit.report.CorpusReport`. Every piece of text from the articles, paths
and labels goes through :func:`html.escape`. Charts are stacked bars of ``<i>`` elements with
percentage widths (no SVG or canvas to draw); views switch with CSS ``:target`` (a link to
``#d3`` opens document 3, ``#d3p12`` its paragraph 12), so the page reads with scripts off;
the script only sorts the document table and steps through documents with ``[`` and ``]``.

Themes get colours by name from the Okabe-Ito palette and, for greyscale print and colour-blind
readers, distinct lightness and patterns; themes a model adds beyond the five get the rest of the
palette with their own patterns, and ``other`` is always light grey and last.
"""

from __future__ import annotations

from html import escape
from importlib import resources

#: name: (colour, pattern). Greyscale lightness: governance 87, ecology 106 (dots), talent 151
#: (stripes), industry 162, other 217: dark-to-light steps, and the two close pairs differ in pattern.
KNOWN = {
    "industry": ("#E69F00", "solid"),
    "governance": ("#0072B2", "solid"),
    "talent": ("#CC79A7", "stripes"),
    "ecology": ("#009E73", "dots"),
    "other": ("#D9D9D9", "solid"),
}
#: For themes a retrained model adds: the rest of Okabe-Ito, each with a pattern of its own.
SPARE = [("#56B4E9", "hlines"), ("#D55E00", "backstripes"), ("#F0E442", "vlines"), ("#000000", "grid")]
ORDER = ["industry", "governance", "talent", "ecology"]

_PATTERNS = {
    "solid": "{c}",
    "stripes": "repeating-linear-gradient(45deg,{c} 0 4px,#fff 4px 6px)",
    "backstripes": "repeating-linear-gradient(-45deg,{c} 0 4px,#fff 4px 6px)",
    "dots": "radial-gradient(circle,#fff 0 1.3px,transparent 1.6px) 0 0/5px 5px,{c}",
    "hlines": "repeating-linear-gradient(0deg,{c} 0 3px,#fff 3px 5px)",
    "vlines": "repeating-linear-gradient(90deg,{c} 0 3px,#000 3px 4px)",
    "grid": "repeating-linear-gradient(0deg,#fff 0 1px,transparent 1px 5px),repeating-linear-gradient(90deg,#fff 0 1px,{c} 1px 5px)",
}


def theme_order(labels) -> list[str]:
    """Display order: the four themes in the codebook's order, then any others, ``other`` last."""
    rest = sorted(label for label in labels if label not in ORDER and label != "other")
    return [label for label in ORDER if label in labels] + rest + (["other"] if "other" in labels else [])


def theme_styles(labels) -> dict[str, tuple[str, str]]:
    styles, spare = {}, iter(SPARE * 4)
    for label in theme_order(labels):
        styles[label] = KNOWN.get(label) or next(spare)
    return styles


class _Page:
    def __init__(self, report):
        self.report = report
        self.order = theme_order(report.labels)
        self.cls = {label: f"t{i}" for i, label in enumerate(self.order)}
        self.styles = theme_styles(report.labels)

    # -- pieces ------------------------------------------------------------------------------

    def css(self) -> str:
        lines = []
        for label in self.order:
            colour, pattern = self.styles[label]
            lines.append(f".{self.cls[label]}{{--c:{colour};--bg:{_PATTERNS[pattern].format(c=colour)}}}")
        return "\n".join(lines)

    def legend(self) -> str:
        items = "".join(f'<li><span class="sw {self.cls[l]}"></span>{escape(l)}</li>' for l in self.order)
        return f'<ul class="legend" aria-label="themes">{items}</ul>'

    def bar(self, shares: dict, big: bool = False) -> str:
        parts = []
        for label in self.order:
            share = shares.get(label, 0.0)
            if share >= 0.0005:
                parts.append(f'<i class="{self.cls[label]}" style="width:{share * 100:.1f}%" '
                             f'title="{escape(label)} {share:.0%}"></i>')
        text = ", ".join(f"{l} {shares.get(l, 0.0):.0%}" for l in self.order if shares.get(l, 0.0) >= 0.005)
        return f'<div class="bar{" big" if big else ""}" role="img" aria-label="{escape(text or "no body text")}">{"".join(parts)}</div>'

    def share_cells(self, shares: dict) -> str:
        return "".join(f'<td class="n" data-v="{shares.get(l, 0.0):.4f}">{shares.get(l, 0.0):.0%}</td>' for l in self.order)

    def share_heads(self, first_col: int, sortable: bool) -> str:
        out = []
        for i, label in enumerate(self.order):
            swatch = f'<span class="sw {self.cls[label]}" style="width:10px;height:10px"></span> '
            if sortable:
                out.append(f'<th class="n" data-col="{first_col + i}" data-num><button type="button" '
                           f'title="sort by {escape(label)} share">{swatch}{escape(label)}</button></th>')
            else:
                out.append(f'<th class="n">{swatch}{escape(label)}</th>')
        return "".join(out)

    # -- corpus view -------------------------------------------------------------------------

    def groups_table(self, groups, what: str) -> str:
        rows = "".join(
            f'<tr><td>{escape(g.name)}</td><td class="n">{g.documents}</td><td class="n">{g.chars:,}</td>'
            f'<td class="bar-cell">{self.bar(g.shares)}</td>{self.share_cells(g.shares)}</tr>'
            for g in groups
        )
        return (f'<table><thead><tr><th>{escape(what)}</th><th class="n">documents</th><th class="n">characters</th>'
                f'<th>theme shares</th>{self.share_heads(0, False)}</tr></thead><tbody>{rows}</tbody></table>')

    def corpus(self) -> str:
        r = self.report
        dated = sum(1 for d in r.documents if d.date)
        low = sum(d.low_confidence for d in r.documents)
        out = [
            '<section id="corpus" aria-labelledby="corpus-title">',
            '<h2 id="corpus-title">Corpus</h2>',
            f'<div class="figures"><span><b>{len(r.documents)}</b> documents</span>'
            f'<span><b>{r.paragraphs:,}</b> paragraphs</span><span><b>{r.chars:,}</b> body characters</span>'
            f'<span><b>{low:,}</b> paragraphs below confidence {r.low_confidence:g}</span>'
            f'<span><b>{dated}</b> dated</span></div>',
            self.bar(r.shares, big=True),
            f'<table><thead><tr>{self.share_heads(0, False)}</tr></thead><tbody><tr>{self.share_cells(r.shares)}</tr></tbody></table>',
            '<p class="note">Shares of body characters (headings included; bylines, captions, menus and other page '
            'furniture left out). A folder or period pools the characters of all its documents.</p>',
        ]
        sections = {
            "folder": ("By folder", "folder", r.by_folder, ""),
            "date": (f"By date ({r.date_unit})", r.date_unit, r.by_date,
                     f"{dated} of {len(r.documents)} documents carry a publication date in a byline or a "
                     "publication field (发布时间, 来源 … 2022-05-27, 《人民日报》(2020年12月14日 …))"
                     + (f"; the other {len(r.documents) - dated} are not in this breakdown." if dated < len(r.documents) else ".")),
        }
        first = r.group_by
        for key in [first] + [k for k in sections if k != first]:
            title, what, groups, note = sections[key]
            out.append(f'<h3>{escape(title)}</h3>')
            if note:
                out.append(f'<p class="note">{escape(note)}</p>')
            out.append(self.groups_table(groups, what) if groups else '<p class="note">none</p>')
        out.append(self.documents_table())
        out.append("</section>")
        return "\n".join(out)

    def ordered(self):
        docs = list(self.report.documents)
        if self.report.group_by == "date":
            return sorted(docs, key=lambda d: (d.date is None, d.date or "", d.folder, d.doc))
        return sorted(docs, key=lambda d: (d.folder, d.doc))

    def documents_table(self) -> str:
        rows = []
        for d in self.ordered():
            name = escape(d.path or d.doc)
            rows.append(
                f'<tr id="r-{d.key}" data-doc="{d.key}"><td class="n" data-v="{d.key[1:]}">{d.key[1:]}</td>'
                f'<td class="name" title="{name}"><a href="#{d.key}">{escape(d.doc)}</a></td>'
                f'<td>{escape(d.folder)}</td><td class="date" data-v="{d.date or ""}">{d.date or "–"}</td>'
                f'<td class="n">{len(d.paragraphs)}</td><td class="n">{d.low_confidence}</td>'
                f'<td class="bar-cell">{self.bar(d.shares)}</td>'
                f'{self.share_cells(d.shares)}</tr>'
            )

        def head(col: int, title: str, numeric: bool = False, tip: str = "") -> str:
            n = ' class="n"' if numeric else ""
            flag = " data-num" if numeric else ""
            return (f'<th{n} data-col="{col}"{flag}><button type="button" title="{escape(tip or "sort by " + title)}">'
                    f'{escape(title)}</button></th>')

        heads = (head(0, "#", True) + head(1, "document") + head(2, "folder") + head(3, "date")
                 + head(4, "paragraphs", True) + head(5, "low", True, f"paragraphs below confidence {self.report.low_confidence:g}")
                 + "<th>theme shares</th>" + self.share_heads(7, True))
        return (f'<h3>Documents</h3><p class="note">Click a column to sort (a theme: the documents with most of it first); '
                f'click a document to read it paragraph by paragraph.</p>'
                f'<div class="wide"><table id="documents"><thead><tr>{heads}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')

    # -- document view -----------------------------------------------------------------------

    def document(self, d, previous, following) -> str:
        nav = [f'<a href="#r-{d.key}">← corpus</a>']
        if previous is not None:
            nav.append(f'<a rel="prev" href="#{previous.key}">‹ {escape(previous.doc)}</a>')
        if following is not None:
            nav.append(f'<a rel="next" href="#{following.key}">{escape(following.doc)} ›</a>')
        facts = [f"{len(d.paragraphs)} paragraphs", f"{d.chars:,} body characters"]
        if d.date:
            facts.append(f"published {d.date}")
        if d.folder:
            facts.append(f"folder {d.folder}")
        if d.low_confidence:
            facts.append(f"{d.low_confidence} below confidence {self.report.low_confidence:g}")
        out = [
            f'<section class="doc" id="{d.key}" aria-labelledby="{d.key}-t">',
            f'<nav class="docnav">{"".join(nav)}</nav>',
            f'<h2 id="{d.key}-t">{escape(d.doc)}</h2>',
            f'<p class="sub">{escape(d.path or d.doc)} · {escape(" · ".join(facts))}</p>',
        ]
        for note in d.notes:
            out.append(f'<p class="warn">{escape(note)}</p>')
        out.append(self.legend())
        out.append(self.bar(d.shares, big=True))
        out.append(f'<table><thead><tr>{self.share_heads(0, False)}</tr></thead><tbody><tr>{self.share_cells(d.shares)}</tr></tbody></table>')
        if d.abstract:
            sentences = "".join(f'<p>{escape(s.text)} <a href="#{d.key}p{s.paragraph}" title="paragraph {s.paragraph}">¶{s.paragraph}</a></p>'
                                for s in d.abstract)
            out.append(f'<div class="abstract"><b>Abstract</b>{sentences}</div>')
        if d.keywords:
            out.append('<p><b>Keywords</b> ' + "".join(f'<span class="kw">{escape(k)}</span>' for k in d.keywords) + "</p>")
        out.append(f'<p class="note">Each paragraph: its theme and the model\'s confidence; dashed and ⚠ below '
                   f'{self.report.low_confidence:g}; grey with its kind for page furniture (coded other); '
                   f'framed when the abstract quotes it.</p>')
        for p in d.paragraphs:
            classes = ["p", self.cls.get(p.label, "")]
            if p.boilerplate:
                classes.append("bp")
                tag = escape(p.kind)
            else:
                tag = f"{escape(p.label)} {p.confidence:.2f}"
                if p.low:
                    classes.append("low")
                if p.kind != "body":
                    tag += f" · {escape(p.kind)}"
            if p.in_abstract:
                classes.append("in-abs")
            out.append(f'<p class="{" ".join(classes)}" id="{d.key}p{p.index}"><span class="ix">{p.index}</span>'
                       f'<span class="tag">{tag}</span>{escape(p.text)}</p>')
        out.append(f'<nav class="docnav">{"".join(nav)}</nav></section>')
        return "\n".join(out)

    # -- the page ----------------------------------------------------------------------------

    def body(self) -> str:
        r = self.report
        model = f" · model: {escape(r.model)}" if r.model else ""
        head = (f'<header class="top"><h1><a href="#corpus" style="color:inherit;text-decoration:none">Theme report</a></h1>'
                f'<p class="sub">{len(r.documents)} documents · {r.paragraphs:,} paragraphs · created {escape(r.created)}{model}</p>'
                f'{self.legend()}</header>')
        docs = self.ordered()
        views = [self.document(d, docs[i - 1] if i else None, docs[i + 1] if i + 1 < len(docs) else None)
                 for i, d in enumerate(docs)]
        return "\n".join([head, self.corpus(), *views])


def render(report) -> str:
    """The whole page for ``report`` (a :class:`toolkit.report.CorpusReport`)."""
    page = _Page(report)
    template = resources.files("toolkit.cli.render").joinpath("report.html").read_text(encoding="utf-8")
    title = f"Theme report: {len(report.documents)} documents"
    return (template.replace("{{title}}", escape(title)).replace("{{themes}}", page.css())
            .replace("{{body}}", page.body()))
