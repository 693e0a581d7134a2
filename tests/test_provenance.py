"""The one place that says which library versions and which values a card or a run record holds."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import numpy as np

from toolkit import __version__
from toolkit.provenance import json_safe, library_versions


def test_library_versions_cover_every_package_that_shapes_a_figure():
    versions = library_versions()
    assert set(versions) == {"python", "toolkit", "scikit-learn", "numpy", "scipy", "skops", "joblib", "jieba",
                             "rjieba", "opencc", "charset-normalizer", "typer"}
    assert versions["toolkit"] == __version__
    for package in set(versions) - {"python", "toolkit"}:
        assert versions[package] == version(package)
    assert versions["numpy"] == np.__version__


def test_json_safe_writes_numbers_as_numbers_and_objects_by_name():
    class Estimator:
        def __repr__(self):
            return "Estimator(C=1.0)"

    assert json_safe({
        "f": np.float64(0.5), "i": np.int64(3), "nan": float("nan"), "inf": np.float64("inf"),
        "path": Path("models") / "x.skops", "dtype": np.float64, "set": {"b", "c", "a"}, "pair": (1, "x"),
        "array": np.array([[1, 2]]), "flag": np.bool_(True), 4: None, "estimator": Estimator(),
        "nested": [{"C": np.float32(2.0)}],
    }) == {
        "f": 0.5, "i": 3, "nan": None, "inf": None, "path": str(Path("models") / "x.skops"),
        "dtype": "numpy.float64", "set": ["a", "b", "c"], "pair": [1, "x"], "array": [[1, 2]], "flag": True,
        "4": None, "estimator": "Estimator(C=1.0)", "nested": [{"C": 2.0}],
    }
