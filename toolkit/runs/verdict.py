"""A comparison's verdict from its paired tests: B better or worse than A beyond noise, no
detectable difference, or mixed evidence. The sentence that gives the reasons is the report's
(:func:`toolkit.cli.render.experiments.verdict_summary`); here is only what it is built on."""

from __future__ import annotations

VERDICTS = ("better", "worse", "no_difference", "mixed")


def evidence(boot: dict) -> tuple[int, int]:
    """What each paired test says on its own: +1 (B better), -1 (B worse) or 0 (within noise),
    first the bootstrap interval of the macro-F1 change, then McNemar's test on the paragraphs
    only one run got right.

    Both are kept because they answer different questions (is the macro-F1 change real; does B
    get more paragraphs right), and the verdict needs both to agree before calling a change real.
    """
    mc = boot["mcnemar"]
    fixed, broken, p = mc["b_only_correct"], mc["a_only_correct"], mc["p"]
    if "ci" in boot:
        low, high = boot["ci"]
        boot_sign = 1 if low > 0 else -1 if high < 0 else 0
    else:
        boot_sign = 0
    mc_sign = (1 if fixed > broken else -1) if p < 1 - boot["confidence"] else 0
    return boot_sign, mc_sign


def verdict(boot: dict) -> str:
    """One of :data:`VERDICTS`: ``better``/``worse`` only when both tests agree on it,
    ``no_difference`` when neither sees one, else ``mixed``."""
    boot_sign, mc_sign = evidence(boot)
    if boot_sign and boot_sign == mc_sign:
        return "better" if boot_sign > 0 else "worse"
    if not boot_sign and not mc_sign:
        return "no_difference"
    return "mixed"
