"""The one exception type the CLI turns into a one-line message and a non-zero exit.

Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations


class ToolkitError(Exception):
    """A problem with the user's input or files, explained in one line."""


class InputError(ToolkitError):
    """A file that cannot be read as an article; in a batch, the other files still go through."""

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class SettingError(ToolkitError):
    """A setting whose value cannot be used: a config override, a file's weight, a number of resamples.

    ``setting`` is the library's word for it (``override``, ``weight``, ``resamples``), never a
    command-line flag: the library does not know how its caller spelled the value, and a front end
    that took it from a flag renames it (:func:`toolkit.cli._common.in_flags`).
    """

    def __init__(self, setting: str, value: object, problem: str):
        self.setting = setting
        self.value = value
        self.problem = problem
        super().__init__(f"{setting} {value}: {problem}")
