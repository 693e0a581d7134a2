"""The Typer application object, apart from ``toolkit.cli`` so command modules can import it.

Every command and group is made by :class:`App`, whose classes write ``--help`` as a manual page
does: a value is named by its placeholder (``FILE``, ``N``, ``KEY=VALUE``, given with ``metavar``
where the option is declared), a flag takes none, and a choice lists its values
(``[text|md|json]``). Typer would otherwise print Python types (``<bool>``, ``<list[str]>``).
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup


def choices(param: Any) -> list[str]:
    """The values a parameter accepts when they are a fixed set (an Enum), else []."""
    descriptor = getattr(param, "type_descriptor", None)  # Typer with its own click
    if descriptor is not None and getattr(descriptor, "is_choice", False):
        values = descriptor.choices or ()
    else:  # Typer on click: click.Choice
        values = getattr(getattr(param, "type", None), "choices", None) or ()
    return [str(getattr(value, "value", value)) for value in values]


def tidy(param: Any) -> None:
    """Give ``param`` the placeholder its help shows: none for a flag, its values for a choice,
    and for an argument only its metavar (no type after it)."""
    if param.param_type_name == "option" and getattr(param, "is_flag", False) and not getattr(param, "count", False):
        param.metavar = ""
    elif param.metavar is None and choices(param):
        param.metavar = "[" + "|".join(choices(param)) + "]"
    if param.param_type_name == "argument" and param.metavar is not None and hasattr(param, "display_type_rich"):
        param.display_type_rich = lambda ctx: None  # the metavar (FILE, PATHS...) says what it takes


class Command(TyperCommand):
    def format_help(self, ctx, formatter) -> None:
        for param in self.get_params(ctx):
            tidy(param)
        super().format_help(ctx, formatter)

    def collect_usage_pieces(self, ctx) -> list[str]:
        """``[OPTIONS] PATHS...``, ``[OPTIONS] [FILE]``: arguments by their metavar, optional ones in brackets."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = param.metavar or param.name.upper() + ("..." if param.nargs != 1 else "")
                pieces.append(name if param.required else f"[{name}]")
        return pieces


class Group(TyperGroup):
    def format_help(self, ctx, formatter) -> None:
        for param in self.get_params(ctx):
            tidy(param)
        super().format_help(ctx, formatter)


class App(typer.Typer):
    """A Typer whose groups and commands are :class:`Group` and :class:`Command`."""

    def __init__(self, **settings: Any):
        settings.setdefault("cls", Group)
        settings.setdefault("rich_markup_mode", "rich")  # help texts escape [ as \\[
        super().__init__(**settings)

    def command(self, *args: Any, cls: Any = None, **kwargs: Any):
        return super().command(*args, cls=cls or Command, **kwargs)


app = App(
    name="toolkit",
    help="Theme coding, summaries and experiment tracking for Chinese articles on rural development and Party building.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
