"""What every command shares, without typer: exit codes, the guard and `assess` itself.

Kept free of typer so that the `assess` fast path (`chargecheck.cli.entry`) and the typer
command run the very same code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from chargecheck.errors import InputError
from chargecheck.scales import NEVER as NEVER  # the commands' --fail-on choices

if TYPE_CHECKING:
    from chargecheck.rulebook.ruleset import RuleSet

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
STDIN, STDIN_NAME = "-", "<stdin>"  # `assess -` reads the case from standard input
EXPLAIN = "--explain"
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


def must_exist(path: str) -> None:
    """Refuse a path that is not there, in the same words for every command that takes
    rule directories or case files (and so for every pre-commit hook that runs one)."""
    if not os.path.exists(path):
        raise InputError.one(path, None, (), "no such file or directory")


def guarded(run: Callable[[], int]) -> int:
    """Run a command body: input errors exit 2 with their messages, bugs exit 3."""
    try:
        code = run()
        sys.stdout.flush()  # here, so that a closed pipe is met inside the guard
        return code
    except InputError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"error: {problem}\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # anything else is our bug: say so, never show a traceback
        if os.environ.get("CHARGECHECK_DEBUG"):
            raise
        sys.stderr.write(
            f"internal error ({type(exc).__name__}); this is a bug in chargecheck. "
            "Set CHARGECHECK_DEBUG=1 to see details.\n"
        )
        return EXIT_INTERNAL


def emit(text: str, output: str | None, force: bool, inputs: list[str]) -> None:
    """Print the report, or write it to `output` without ever losing a file."""
    if output is None:
        sys.stdout.write(text)
        return
    # Only --output writes a file, so only it loads tempfile (and shutil, random) for it.
    from chargecheck.reports.output_files import write_report

    write_report(text, output, inputs, force)


def colour(choice: str, output: str | None) -> bool:
    """`--color`: always, never, or (auto) for a terminal unless `NO_COLOR` is set."""
    if choice != "auto":
        return choice == "always"
    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def settle_explain(line: Sequence[str], takes_value: Collection[str]) -> list[str]:
    """`assess`'s arguments with each `--explain` given its value explicitly: `--explain=ID`,
    or `--explain=` (explain everything) when given alone.

    The parser beneath typer has no option whose value may be left out, so the typer
    command and the fast path (fast_path.py) both read the line through this first. The word
    after `--explain` is its value, unless it is an option, or the case is missing and the
    word is not an id but a path: `-`, a file that exists, or a word with a dot or a
    slash. So `assess --explain case.yaml` and `assess case.yaml --explain` explain it all,
    and `assess case.yaml --explain pha-s4a` only s.4A.
    """
    args, out = list(line), []
    positional, pending, n = 0, [], 0
    while n < len(args):
        word, following = args[n], args[n + 1] if n + 1 < len(args) else None
        n += 1
        if word == "--":
            out += args[n - 1:]
            positional += len(args) - n
            break
        if word == EXPLAIN and (following is None or following == STDIN
                                or not following.startswith("-")):
            pending.append(len(out))  # its value, or the case: settled below
            out.append(following or "")
            n += following is not None
        elif word == EXPLAIN:
            out.append(EXPLAIN + "=")  # alone, before another option
        elif word in takes_value:
            out += args[n - 1:n + 1]
            n += 1
        else:
            positional += not word.startswith("-") or word == STDIN
            out.append(word)
    settled = []
    for at in pending:
        word = out[at]
        if word and positional == 0 and not _id_shaped(word):
            settled.append((at, [EXPLAIN + "=", word]))  # the case, after a bare --explain
            positional = 1
        else:
            settled.append((at, [f"{EXPLAIN}={word}"]))
    for at, words in reversed(settled):
        out[at:at + 1] = words
    return out


def _id_shaped(word: str) -> bool:
    # A set, not a regular expression: `--help` loads this module, and `re` is not
    # otherwise needed on that path.
    return (word[:1] not in ("", "-") and set(word) <= _ID_CHARS
            and not os.path.exists(word))


STDIN_FOR_EXPLAIN = ("'-' reads the case from standard input, and a case file is given "
                     "already; --explain takes an offence or rule id, or nothing to explain "
                     "everything")


def explained_ids(values: Sequence[str], rules: RuleSet) -> tuple[str, ...]:
    """The offence and rule ids `--explain` names, as the rule set spells them (any case);
    empty for the whole explanation. An id that is neither is an input error."""
    known = {o.id: o.id for o in rules.offences} | {r.id: r.id for r in rules.rules}
    by_lower = {ident.lower(): ident for ident in known}
    found: list[str] = []
    for value in filter(None, (v.strip() for v in values)):
        if value == STDIN:  # `assess CASE --explain -`: a case is given already
            raise InputError.one(f"{EXPLAIN} {value}", None, (), STDIN_FOR_EXPLAIN)
        ident = by_lower.get(value.lower())
        if ident is None:
            # On a mistake only: `--help` and a good line never load the spelling helper.
            from chargecheck.spelling import closest

            guess = closest(value.lower(), by_lower, cutoff=0.5)
            hint = f"; did you mean {by_lower[guess]!r}?" if guess else ""
            raise InputError.one(f"{EXPLAIN} {value}", None, (),
                                 f"no offence or rule has this id{hint}")
        if ident not in found:
            found.append(ident)
    return tuple(found)


def assess(case: str, output_format: str = "text", rules: list[str] | None = None,
           fail_on: str = "high", output: str | None = None, force: bool = False,
           show_names: bool = False, explain: list[str] | None = None,
           changes: list[str] | None = None, color: str = "auto", quiet: bool = False) -> int:
    """The body of `chargecheck assess`; returns the exit code. `explain`: None without
    `--explain`; else its values, where `""` (given alone) asks for everything."""
    # Imported here, not at the top, so that `--help` and the other commands, which import
    # this module for `guarded`, never load the case model, the engine or the reports.
    from chargecheck.case.loading import load_case_file
    from chargecheck.cli.renderers import renderer
    from chargecheck.cli.rule_loading import load_rules
    from chargecheck.engine.assess import assess as judge
    from chargecheck.engine.decisions import with_decisions
    from chargecheck.engine.receipt import stamped
    from chargecheck.reports.options import ReportOptions

    name = STDIN_NAME if case == STDIN else case  # `-`: the case on standard input
    stream = sys.stdin.buffer if case == STDIN else None
    ruleset = load_rules(rules)
    # Checked before the case is read, so a mistyped id fails fast.
    only = explained_ids(explain, ruleset) if explain else ()
    loaded = load_case_file(name, stream)
    options = ReportOptions(show_names, explain is not None, colour(color, output), ruleset,
                            only)
    silent = quiet and output is None  # --quiet: the exit code alone, unless a file is asked
    if changes:
        from chargecheck.cli.what_if import what_if  # only --set reads and applies changes

        result, text = what_if(name, loaded, ruleset, changes, output_format, options)
    else:
        result = with_decisions(judge(loaded.case, ruleset), loaded.case, ruleset)
        if explain is not None:
            # Only --explain walks the rules again, so only it loads the explainer.
            from chargecheck.engine.reasoning import explained

            result = explained(result, ruleset, only)
        result = stamped(result, loaded.digest)
        text = "" if silent else renderer(output_format)(result, loaded.case, options)
    if not silent:
        emit(text, output, force, [case])
    # Findings a recorded decision accepted or rejected no longer fail the run.
    return EXIT_FINDINGS if result.fails(fail_on) else EXIT_OK
