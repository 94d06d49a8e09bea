"""The command line's conventions that typer does not keep by itself.

Help names what to give: metavars (`CASE`, `PATHS...`, `[text|json]`), never a Python
type (`<str>`, `<bool>`, `<list[str]>`) nor typer's `{case}` for a required argument.
A bad value is refused in our words (`'xml' is not one of: text, json, markdown, html`),
with a did-you-mean, never the wording of the validation library beneath typer.

typer 0.x prints a type column for every parameter, flags and `--help` included, and its
usage line wraps required arguments in braces. The command and group classes here give
each parameter the click conventions instead: an argument is shown by its metavar, an
option by its metavar or its choices, a flag by nothing. tests/test_help.py reads every
command's help for the placeholders.
"""

from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from chargecheck.spelling import closest


def _choices(param: Any) -> list[str]:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or not descriptor.is_choice:
        return []
    return [str(getattr(c, "value", c)) for c in descriptor.choices or ()]


def _plain(param: Any, value: Any, exc: typer.BadParameter) -> typer.BadParameter:
    """The same refusal, said in our words where we know what was wrong (a missing
    argument is left as typer says it)."""
    if type(exc) is not typer.BadParameter:
        return exc
    choices = _choices(param)
    values = value if isinstance(value, (list, tuple)) else [value]
    texts = [v for v in values if isinstance(v, str)]
    if choices:
        wrong = next((v for v in texts if v not in choices), None)
        if wrong is not None:
            guess = closest(wrong.lower(), choices)
            hint = f"; did you mean {guess!r}?" if guess else ""
            message = f"{wrong!r} is not one of: {', '.join(choices)}{hint}"
            return typer.BadParameter(message, exc.ctx, param)
    annotation = param.type_descriptor.annotation
    if annotation in (int, float):
        kind = "whole number" if annotation is int else "number"
        for text in texts:
            try:
                annotation(text)
            except ValueError:
                return typer.BadParameter(f"{text!r} is not a {kind}", exc.ctx, param)
        low, high = getattr(param, "min", None), getattr(param, "max", None)
        if low is not None or high is not None:
            span = (f"from {low:g} to {high:g}" if low is not None and high is not None else
                    f"at least {low:g}" if low is not None else f"at most {high:g}")
            return typer.BadParameter(f"must be {span}; got {texts[0] if texts else value}",
                                      exc.ctx, param)
    return exc


def _refusing_plainly(base: type[TyperArgument] | type[TyperOption]) -> Callable[..., Any]:
    """`base.process_value`, refusing a bad value in our words (`_plain`).

    One method for both parameter classes. Not a mixin: `_restyle` switches each
    parameter's `__class__`, which Python allows only between classes of the same
    layout; a plain mixin changes it ("object layout differs"), and only a mixin built
    on typer's private `_TyperParameter` would not.
    """
    def process_value(self: Any, ctx: Any, value: Any) -> Any:
        try:
            return base.process_value(self, ctx, value)
        except typer.BadParameter as exc:
            raise _plain(self, value, exc) from None

    return process_value


class _Argument(TyperArgument):
    process_value = _refusing_plainly(TyperArgument)

    def display_type_rich(self, ctx: Any) -> str | None:
        return None  # the name column already shows the metavar

    def get_usage_pieces(self, ctx: Any) -> list[str]:
        name = self.metavar or self.name or ""
        return [name if self.required else f"[{name}]"]


class _Option(TyperOption):
    process_value = _refusing_plainly(TyperOption)

    def display_type_rich(self, ctx: Any) -> str | None:
        if self.metavar is not None:
            return self.metavar
        if self.is_flag:
            return None
        descriptor = self.type_descriptor
        if descriptor.is_choice and descriptor.choices:
            return "[" + "|".join(str(getattr(c, "value", c)) for c in descriptor.choices) + "]"
        return None


def _restyle(params: list[Any]) -> list[Any]:
    for param in params:
        if type(param) is TyperArgument:
            param.__class__ = _Argument
        elif type(param) is TyperOption:
            param.__class__ = _Option
    return params


class Command(TyperCommand):
    """A command whose help shows metavars and whose refusals are plain (pass as `cls=`
    to `app.command`)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _restyle(super().get_params(ctx))


class Group(TyperGroup):
    """A command group whose help shows metavars (pass as `cls=` to `typer.Typer`)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _restyle(super().get_params(ctx))
