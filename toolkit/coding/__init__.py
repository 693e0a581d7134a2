"""Coding a researcher's own corpus: suggest paragraphs to code, check the coded sheet, measure
agreement between coders, and audit coded rows for likely mistakes. One algorithm per module:

- :mod:`toolkit.coding.sheets`: several labels files read as one training set, with weights, and
  a coded sheet checked against the corpus it came from;
- :mod:`toolkit.coding.suggest`: which paragraphs to code next (uncertain, spread, not repeated);
- :mod:`toolkit.coding.agreement`: Cohen's kappa and Krippendorff's alpha with bootstrap CIs;
- :mod:`toolkit.coding.audit`: confident learning on out-of-fold probabilities;
- :mod:`toolkit.coding.drift`: does a corpus look unlike the model's training data?
"""
