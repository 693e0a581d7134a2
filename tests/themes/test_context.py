"""Deciding a paragraph in its article: neighbours, the whole document, and structure as other."""

from __future__ import annotations

import numpy as np

from toolkit.themes.context import NONE, in_context

CLASSES = ["ecology", "governance", "industry", "other", "talent"]
SETTINGS = {"neighbours": 2.0, "document": 1.0, "short_chars": 100, "other_scale": 0.2, "headings_other": True}


def row(**p):
    return [p.get(c, 0.0) for c in CLASSES]


def test_a_short_quote_takes_the_theme_of_the_story_around_it():
    proba = np.array([row(industry=0.9, other=0.1), row(other=0.7, talent=0.3), row(industry=0.8, governance=0.2)])
    out = in_context(proba, [200, 15, 180], CLASSES, SETTINGS)
    assert CLASSES[int(out[1].argmax())] == "industry"
    assert np.allclose(out.sum(axis=1), 1.0)


def test_a_long_paragraph_keeps_its_own_point():
    proba = np.array([row(industry=0.9, other=0.1), row(governance=0.8, industry=0.2), row(industry=0.9, other=0.1)])
    out = in_context(proba, [200, 600, 200], CLASSES, {**SETTINGS, "document": 0.3})
    assert CLASSES[int(out[1].argmax())] == "governance"


def test_other_must_win_clearly_in_a_body_paragraph():
    proba = np.array([row(other=0.6, ecology=0.4)])
    assert CLASSES[int(in_context(proba, [80], CLASSES, SETTINGS)[0].argmax())] == "ecology"
    assert CLASSES[int(in_context(proba, [80], CLASSES, NONE)[0].argmax())] == "other"


def test_no_context_leaves_the_model_alone():
    proba = np.array([row(other=0.6, ecology=0.4), row(talent=1.0)])
    assert np.allclose(in_context(proba, [10, 10], CLASSES, NONE), proba)
    assert in_context(np.zeros((0, 5)), [], CLASSES, SETTINGS).shape == (0, 5)


def test_headings_are_other_and_bodies_are_decided_in_context(model, seed_docs):
    from toolkit.themes.classifier import classify_document

    doc = seed_docs["002_645df434c5bcfa1a.txt"]
    result = classify_document(doc, model)
    headings = [r for p, r in zip(doc.paragraphs, result.paragraphs) if p.kind == "heading"]
    assert headings and all(r.label == "other" and r.confidence == 1.0 for r in headings)
    body = [r for p, r in zip(doc.paragraphs, result.paragraphs) if p.kind == "body"]
    assert {r.label for r in body} & {"governance", "industry"}
    assert all(abs(sum(r.probabilities.values()) - 1.0) < 1e-6 for r in body)
