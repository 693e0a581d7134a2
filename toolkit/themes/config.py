"""Run configurations: TOML files under ``experiments/configs/`` and ``--set key=value`` overrides.

Why it is built this way:

- A configuration is a plain nested dict (``[features]``, ``[model]``, ``[evaluation]``), so a
  file, the command line and code that builds one all meet in the same shape; which keys exist and
  what their defaults are belongs to the caller (:mod:`toolkit.training`), not to this module.
- Given those defaults, an unknown key or a value of the wrong kind is refused with the key's
  name and the known ones, because a typo found after minutes of cross-validation costs minutes.
- ``--set`` values are TOML literals, but a bare word is a string: that is what someone typing
  ``--set features.analyzer=char`` means.
"""

from __future__ import annotations

import copy
import difflib
import json
import tomllib
from pathlib import Path
from typing import Any, Sequence

from toolkit.errors import ToolkitError


def load_config(
    path: str | Path | None,
    overrides: Sequence[str] = (),
    *,
    defaults: dict | None = None,
) -> dict:
    """A run configuration from a TOML file and ``section.key=value`` overrides, as a nested dict.

    Override values are TOML literals (``4.0``, ``[1, 3]``, ``true``, ``"char"``); a bare word such
    as ``char`` is taken as a string, because that is what a user typing ``--set`` means.
    With ``defaults``, the result is the defaults updated by the file and the overrides, and a key
    the defaults do not know is an error naming it and the known ones, so a typo is caught before
    minutes of training rather than silently ignored.
    """
    loaded: dict = {}
    if path is not None:
        loaded = _read_toml(Path(path))
        if defaults is not None:
            _check_known(loaded, defaults, str(path))
    for item in overrides:
        key, value = _parse_override(item)
        if defaults is not None:
            _check_known(_nest(key, value), defaults, f"--set {item}")
        _set_dotted(loaded, key, value, f"--set {item}")
    if defaults is None:
        return loaded
    return _merge(defaults, loaded)


def flatten(config: dict, prefix: str = "") -> dict:
    """``{"features": {"analyzer": "both"}}`` -> ``{"features.analyzer": "both"}``: one column per setting."""
    flat: dict = {}
    for key, value in config.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def _read_toml(path: Path) -> dict:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ToolkitError(f"{path}: no such config file") from None
    except IsADirectoryError:
        raise ToolkitError(f"{path}: is a directory, not a config file") from None
    except OSError as exc:
        raise ToolkitError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ToolkitError(f"{path}: not UTF-8 text (a TOML file must be UTF-8)") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ToolkitError(f"{path}: not valid TOML ({exc})") from None


def _parse_override(item: str) -> tuple[str, Any]:
    key, sep, raw = item.partition("=")
    key, raw = key.strip(), raw.strip()
    if not sep or not key:
        raise ToolkitError(f"--set {item}: expected section.key=value, e.g. model.C=2.0")
    if any(not part.strip() for part in key.split(".")):
        raise ToolkitError(f"--set {item}: {key!r} is not a dotted key like features.analyzer")
    if not raw:
        raise ToolkitError(f'--set {item}: no value (write "" for an empty string)')
    try:
        return key, tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError as exc:
        if raw[0] in "[{\"'":
            raise ToolkitError(f"--set {item}: {raw} is not a valid TOML value ({exc})") from None
    try:
        return key, float(raw) if any(c in raw for c in ".eE") else int(raw)
    except ValueError:
        return key, raw


def _nest(dotted: str, value: Any) -> dict:
    for part in reversed(dotted.split(".")):
        value = {part: value}
    return value


def _set_dotted(config: dict, dotted: str, value: Any, source: str) -> None:
    parts = dotted.split(".")
    node = config
    for depth, part in enumerate(parts[:-1]):
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ToolkitError(f"{source}: {'.'.join(parts[: depth + 1])} is a value, not a section")
    node[parts[-1]] = value


def _kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a section"
    return None


def _check_known(given: dict, defaults: dict, source: str, prefix: str = "") -> None:
    for key, value in given.items():
        dotted = f"{prefix}{key}"
        if key not in defaults:
            known = sorted(defaults)
            where = f"[{prefix[:-1]}]" if prefix else "the top level"
            what = "section" if isinstance(value, dict) and not prefix else "key"
            near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f"; did you mean '{prefix}{near[0]}'?" if near else ""
            raise ToolkitError(
                f"{source}: unknown {what} {dotted!r} (known in {where}: {', '.join(known)}{hint})"
            )
        expected = defaults[key]
        if isinstance(expected, dict):
            if not isinstance(value, dict):
                raise ToolkitError(f"{source}: {dotted} is a section ([{dotted}]), not a value")
            _check_known(value, expected, source, dotted + ".")
            continue
        if isinstance(value, dict):
            raise ToolkitError(f"{source}: {dotted} is a value, not a section")
        want, got = _kind(expected), _kind(value)
        if want is not None and got != want:
            raise ToolkitError(f"{source}: {dotted} should be {want} (like {_toml(expected)}), not {_toml(value)}")


def _merge(base: dict, update: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        elif isinstance(value, int) and not isinstance(value, bool) and type(out.get(key)) is float:
            out[key] = float(value)  # model.C=4 where the default is 4.0: keep the type estimators expect
        else:
            out[key] = copy.deepcopy(value)
    return out


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)
