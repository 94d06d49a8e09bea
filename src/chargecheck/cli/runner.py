"""What every command shares, without typer: exit codes, the guard and `assess` itself.

Kept free of typer so that the `assess` fast path (`chargecheck.cli.entry`) and the typer
command run the very same code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from chargecheck.errors import InputError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
STDIN, STDIN_NAME = "-", "<stdin>"  # `assess -` reads the case from standard input


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


def assess(case: str, output_format: str = "text", rules: list[str] | None = None,
           fail_on: str = "high", output: str | None = None, force: bool = False,
           show_names: bool = False, explain_why: bool = False,
           changes: list[str] | None = None, color: str = "auto", quiet: bool = False) -> int:
    """The body of `chargecheck assess`; returns the exit code."""
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
    ruleset, loaded = load_rules(rules), load_case_file(name, stream)
    options = ReportOptions(show_names, explain_why, colour(color, output), ruleset)
    silent = quiet and output is None  # --quiet: the exit code alone, unless a file is asked
    if changes:
        from chargecheck.cli.what_if import what_if  # only --set reads and applies changes

        result, text = what_if(name, loaded, ruleset, changes, output_format, options)
    else:
        result = with_decisions(judge(loaded.case, ruleset), loaded.case, ruleset)
        if explain_why:
            # Only --explain walks the rules again, so only it loads the explainer.
            from chargecheck.engine.reasoning import explained

            result = explained(result, ruleset)
        result = stamped(result, loaded.digest)
        text = "" if silent else renderer(output_format)(result, loaded.case, options)
    if not silent:
        emit(text, output, force, [case])
    # Findings a recorded decision accepted or rejected no longer fail the run.
    return EXIT_FINDINGS if result.fails(fail_on) else EXIT_OK
