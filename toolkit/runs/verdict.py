"""The words of a comparison: a run's verdict (real change or noise) from its paired bootstrap,
the classes that moved most, and p-values as they read in a sentence."""

from __future__ import annotations


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def format_p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def _moved_most(per_class: dict, top: int = 2) -> str:
    """``"; F1 moved most in talent (+0.500), ecology (+0.167)"``, or nothing when no class moved."""
    moved = sorted(((label, c["change"]) for label, c in per_class.items() if abs(c["change"]) >= 0.0005),
                   key=lambda item: (-abs(item[1]), item[0]))
    if not moved:
        return ""
    return "; F1 moved most in " + ", ".join(f"{label} ({change:+.3f})" for label, change in moved[:top])


def _verdict(boot: dict) -> tuple[str, str]:
    """One line a researcher can act on; both tests have to agree before anything is called real.

    Every reason given is computed: the classes whose F1 moved most on the paired paragraphs,
    and, when whole documents are resampled, how many documents hold the paragraphs that changed.
    """
    mc = boot["mcnemar"]
    fixed, broken, p = mc["b_only_correct"], mc["a_only_correct"], mc["p"]
    level = round(boot["confidence"] * 100)
    alpha = 1 - boot["confidence"]
    diff = boot["difference"]
    if "ci" in boot:
        low, high = boot["ci"]
        boot_sign = 1 if low > 0 else -1 if high < 0 else 0
    else:
        boot_sign = 0
    mc_sign = (1 if fixed > broken else -1) if p < alpha else 0
    counts = f"B fixes {plural(fixed, 'paragraph')} A got wrong and breaks {broken}"
    moved = _moved_most(boot.get("per_class_f1") or {})
    if boot_sign and boot_sign == mc_sign:
        word = "better" if boot_sign > 0 else "worse"
        return word, (
            f"B is {word} than A beyond noise: macro-F1 {diff:+.3f} ({level}% CI excludes 0), "
            f"{counts} (McNemar p {format_p(p)}){moved}"
        )
    if not boot_sign and not mc_sign:
        what = "no change in any prediction" if fixed == broken == 0 else (
            f"the macro-F1 change ({diff:+.3f}) is within noise and {counts} (McNemar p {format_p(p)})"
        )
        return "no_difference", f"no detectable difference: {what}"
    if boot_sign and not mc_sign:
        side = "higher" if boot_sign > 0 else "lower"
        return "mixed", (
            f"mixed evidence: B's macro-F1 is {side} beyond noise ({diff:+.3f}), but {counts}, a split "
            f"chance could give (McNemar p {format_p(p)}){moved}; treat it as a lead, not a result"
        )
    if mc_sign and not boot_sign:
        side = "more" if mc_sign > 0 else "fewer"
        where = ""
        if boot.get("resample") == "doc" and "docs_changed" in boot:
            where = (f" when whole documents are resampled: the paragraphs B fixes or breaks lie in "
                     f"{boot['docs_changed']} of {plural(boot['docs'], 'document')}")
        return "mixed", (
            f"mixed evidence: B gets {side} paragraphs right beyond noise ({counts}, McNemar p {format_p(p)}), "
            f"but its macro-F1 change ({diff:+.3f}) is within noise{where}{moved}"
        )
    return "mixed", (
        f"mixed evidence: B's macro-F1 moves {diff:+.3f} beyond noise while {counts} (McNemar p {format_p(p)})"
        f"{moved}"
    )
