"""Every command's --help reads as a manual: placeholders (FILE, N, KEY=VALUE), no Python types,
flags without a value, and every --format listing its choices."""

from __future__ import annotations

import enum
import re
import typing

import typer
from typer.testing import CliRunner

from toolkit.cli import app

runner = CliRunner()


def commands(group=None, path=()):
    """(path, click command) for the root, every group and every command under it."""
    group = group or typer.main.get_command(app)
    yield path, group
    for name, command in getattr(group, "commands", {}).items():
        yield from commands(command, (*path, name))


def help_text(path) -> str:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, (path, result.output)
    return result.stdout


def enum_values(callback, name) -> list[str]:
    """The values of the Enum a command's parameter is annotated with (Optional unwrapped)."""
    hint = typing.get_type_hints(callback)[name]
    for arg in (hint, *typing.get_args(hint)):
        if isinstance(arg, type) and issubclass(arg, enum.Enum):
            return [member.value for member in arg]
    raise AssertionError(f"{callback.__name__}: {name} is not an Enum")


def test_every_command_is_walked():
    paths = {" ".join(path) for path, _ in commands()}
    assert {"", "classify", "summarize", "report", "train", "evaluate", "model show", "experiments list",
            "experiments compare", "labels check", "labels suggest", "labels agreement", "labels audit"} <= paths


def test_help_shows_placeholders_not_python_types():
    for path, command in commands():
        text = help_text(path)
        assert "<" not in text, (path, [line for line in text.splitlines() if "<" in line])
        for param in command.params:
            if getattr(param, "is_flag", False) and param.help:  # its help follows its names: no value
                flag = rf"{re.escape(param.opts[0])}(\s+-\w)?\s+{re.escape(param.help.split()[0])}"
                assert re.search(flag, text), (path, param.opts[0])


def test_every_format_option_lists_its_choices():
    seen = 0
    for path, command in commands():
        for param in command.params:
            if "--format" not in getattr(param, "opts", ()):
                continue
            seen += 1
            choices = enum_values(command.callback, param.name)
            row = next(line for line in help_text(path).splitlines() if re.search(r"--format\s+-f\s", line))
            assert f"[{'|'.join(choices)}]" in row, (path, row)
    assert seen >= 10


def test_summarize_methods_match_the_library():
    from toolkit.cli.summarize import Method
    from toolkit.summaries import SUMMARIZERS

    assert [m.value for m in Method] == list(SUMMARIZERS)
