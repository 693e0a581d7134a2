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
