"""The `chargecheck` command line. Thin: parse, call, render, choose the exit code.

Only typer is imported at the top: yaml, pydantic, the rule set and rich are imported
inside the commands that need them, so `--help` and `--format json` stay fast (each
command's imports say what they keep from the others). Annotations are evaluated at
definition, not postponed: typer reads every command's signature on each run, and
evaluating postponed annotations from strings cost about a third of `--help`.
"""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from chargecheck import __version__
from chargecheck.cli.conventions import Command, Group
from chargecheck.cli.runner import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    NEVER,
    guarded,
    settle_explain,
)
from chargecheck.cli.runner import assess as run_assess
from chargecheck.scales import Severity

app = typer.Typer(
    cls=Group,
    add_completion=True,  # --install-completion; entry.py leaves completion to typer
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Advisory checks of stalking and harassment charging decisions (England and Wales). "
    "Advisory only: not legal advice.\n\n\b\nExamples:\n  chargecheck assess case.yaml\n"
    "  chargecheck validate my-pack/\n  chargecheck scenarios list",
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"chargecheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option(
        "--version", callback=_show_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Advisory checks of stalking and harassment charging decisions (England and Wales).

    Advisory only: not legal advice; check current CPS legal guidance.

    \b
    Examples:
      chargecheck assess case.yaml
      chargecheck validate my-pack/
      chargecheck scenarios list
    """


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


class ColorMode(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


# A `--fail-on` threshold: a severity, or `never` to keep exit 0 whatever is found. Built
# from the one scale of severities; mypy is shown that scale, and `never` is compared as text.
if TYPE_CHECKING:
    FailOn = Severity
else:
    FailOn = StrEnum("FailOn", [*(s.value for s in Severity), NEVER])


CasePath = Annotated[str, typer.Argument(
    metavar="CASE", help="The case file (YAML); - reads it from standard input.",
    show_default=False)]
# Value options show what to give (PATH, FILE) rather than a Python type (<list[str]>).
RulesOption = Annotated[list[str] | None, typer.Option(
    "--rules", metavar="PATH", help="A full rule set to use instead of the bundled one, or a "
    "local rule pack to apply on top of it. Repeat for several packs.")]
JobsOption = Annotated[int | None, typer.Option(  # audit and rules diff: one worker pool
    "--jobs", "-j", metavar="N", min=1, help="Worker processes (default: the number of CPUs).",
    show_default=False)]


class AssessCommand(Command):
    """`assess`, whose `--explain` may be given alone or with an id: the line is read
    through `runner.settle_explain` first, as the fast path reads it."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        values = {o for p in self.params if getattr(p, "param_type_name", "") == "option"
                  and not getattr(p, "is_flag", False) for o in getattr(p, "opts", ())}
        return super().parse_args(ctx, settle_explain(args, values))


@app.command(cls=AssessCommand)
def assess(
    case: CasePath,
    output_format: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = (
        OutputFormat.text),
    rules: RulesOption = None,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="Exit 1 if any finding is at or above this severity; never: exit 0 "
        "whatever is found.")] = FailOn.high,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FILE", help="Write the report to this file (atomically).")
    ] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an existing --output file.")] = False,
    show_names: Annotated[bool, typer.Option(
        "--show-names", help="Print names recorded in the case (labels are used otherwise).")
    ] = False,
    explain: Annotated[list[str] | None, typer.Option(
        "--explain", metavar="[OFFENCE-OR-RULE]", help="Show the law element by element and "
        "why each indicator, element and near miss came out as it did; with an offence or rule "
        "id, such as pha-s4a or UC-001 (repeatable), only that one.", show_default=False)
    ] = None,
    changes: Annotated[list[str] | None, typer.Option(
        "--set", metavar="FACT=VALUE", help="What-if: change a fact, e.g. "
        "victims.V1.very_frightened=true (repeatable); shows what changes.")] = None,
    color: Annotated[ColorMode, typer.Option(
        "--color", help="Colour the text report: auto (a terminal, unless NO_COLOR is set), "
        "always or never.")] = ColorMode.auto,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print nothing: the exit code tells (--output still writes the "
        "report).")] = False,
) -> None:
    """Assess one case file: offences, FOUR indicators, escalation and findings.

    \b
    Examples:
      chargecheck assess case.yaml
      chargecheck assess case.yaml --format json --fail-on never
      chargecheck assess case.yaml --explain
      chargecheck assess case.yaml --explain pha-s4a --explain UC-001
      chargecheck assess - < case.yaml
      chargecheck assess case.yaml --quiet --fail-on critical
    """
    # A well-formed `assess` line usually arrives through `chargecheck.cli.entry`'s fast
    # path, which calls `runner.assess` directly: keep the two in step.
    _exit(guarded(lambda: run_assess(
        case, output_format.value, rules, fail_on.value, output, force, show_names,
        explain, changes, color.value, quiet)))


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"


@app.command(cls=Command)
def validate(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATHS...", help="Rule directories (a rule set or a local pack) and case files "
        "or directories of them.", show_default=False)],
    output: Annotated[CheckFormat, typer.Option("--format", help="Output format.")] = (
        CheckFormat.text),
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print nothing when there is no problem; in text, only the "
        "problems.")] = False,
) -> None:
    """Check rule directories and case files; report every problem with file and line.

    \b
    Examples:
      chargecheck validate rules/ examples/
      chargecheck validate --format github my-pack/ cases/
      chargecheck validate --format sarif my-pack/ > validate.sarif
      chargecheck validate -q my-pack/ cases/
    """
    def run() -> int:
        # On use, as in every command below: --help loads none of these modules.
        from chargecheck.cli.validate import printed, validate_paths

        report = validate_paths(paths)
        sys.stdout.write(printed(report, output.value, quiet))
        return EXIT_FINDINGS if report.problems else EXIT_OK

    _exit(guarded(run))


class TestFormat(StrEnum):
    text = "text"
    junit = "junit"
    github = "github"
    sarif = "sarif"


class CoverageScope(StrEnum):
    own = "own"
    all = "all"


@app.command("test", cls=Command)
def test_rules(
    paths: Annotated[list[str] | None, typer.Argument(
        metavar="RULES_DIR...", help="Rule sets or local rule packs (default: the bundled "
        "rule set).", show_default=False)] = None,
    output: Annotated[TestFormat, typer.Option("--format", help="Output format.")] = (
        TestFormat.text),
    coverage: Annotated[CoverageScope, typer.Option(
        "--coverage", help="Whose coverage to show: the rules under test (a pack's own) or "
        "all that were loaded.")] = CoverageScope.own,
    fail_under: Annotated[float | None, typer.Option(
        "--fail-under", metavar="PERCENT", min=0, max=100, help="Exit 1 if coverage (the "
        "outcomes exercised, of those possible) is below PERCENT.", show_default=False)
    ] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print nothing when every test passes; in text, only what failed "
        "and the summary line.")] = False,
) -> None:
    """Run the rule test cases: what must fire, stay silent or be not assessed.

    Prints the results, then the coverage of the rules under test, then one summary line.

    \b
    Examples:
      chargecheck test
      chargecheck test my-pack/ --fail-under 90
      chargecheck test --format junit my-pack/ > rule-tests.xml
      chargecheck test -q my-pack/ --fail-under 90
    """
    def run() -> int:
        # On use: the rule checker and the engine.
        from chargecheck.cli.rule_tests import run_tests
        from chargecheck.reports.test_report import printed

        result = run_tests(paths or [], coverage is CoverageScope.all, fail_under)
        sys.stdout.write(printed(result, output.value, quiet))
        return EXIT_OK if result.ok() else EXIT_FINDINGS

    _exit(guarded(run))


rules_app = typer.Typer(
    cls=Group, no_args_is_help=True,
    help="List, document and compare the rules.\n\n\b\nExamples:\n  chargecheck rules list\n"
    "  chargecheck rules docs > docs/rules.md\n  chargecheck rules diff old-rules/ rules/ cases/")
app.add_typer(rules_app, name="rules")


@rules_app.command("list", cls=Command)
def rules_list(rules: RulesOption = None) -> None:
    """A table of every rule: id, category, severity, in force, citation.

    \b
    Examples:
      chargecheck rules list
      chargecheck rules list --rules my-pack/
    """
    def run() -> int:
        # On use: rich's table and the rule set.
        from rich.console import Console
        from rich.table import Table

        from chargecheck.cli.rule_loading import load_rules
        from chargecheck.rulebook.rule_docs import in_force_text, rule_data

        table = Table()
        for column in ("Rule", "Category", "Severity"):  # looked up and grepped: never cut
            table.add_column(column, no_wrap=True)
        for column in ("In force", "Citation", "Title"):
            table.add_column(column, overflow="fold")  # a long word wraps, never lost
        for r in rule_data(load_rules(rules)):
            table.add_row(r["id"], r["category"], r["severity"], in_force_text(r),
                          r["citations"][0], r["title"])
        console = Console(markup=False, highlight=False)
        console.width = max(console.width, 80)  # narrower, rich would drop whole columns
        console.print(table)
        return EXIT_OK

    _exit(guarded(run))


@rules_app.command("docs", cls=Command)
def rules_docs(rules: RulesOption = None) -> None:
    """Print docs/rules.md, generated from the rule set.

    \b
    Examples:
      chargecheck rules docs > docs/rules.md
    """
    def run() -> int:
        # On use: the rule set and its documentation.
        from chargecheck.cli.rule_loading import load_rules
        from chargecheck.rulebook.directory import test_directories
        from chargecheck.rulebook.rule_docs import markdown
        from chargecheck.rulebook.rule_tests import firing_examples

        examples = firing_examples(*test_directories(rules))
        sys.stdout.write(markdown(load_rules(rules), examples))
        return EXIT_OK

    _exit(guarded(run))


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@rules_app.command("diff", cls=Command)
def rules_diff(
    old: Annotated[str, typer.Argument(
        metavar="OLD_RULES", help="The rule set (or local pack) before the change.",
        show_default=False)],
    new: Annotated[str, typer.Argument(
        metavar="NEW_RULES", help="The rule set (or local pack) after the change.",
        show_default=False)],
    paths: Annotated[list[str], typer.Argument(
        metavar="CASES...", help="Case files, directories (searched for *.yaml, *.yml) or "
        "glob patterns.", show_default=False)],
    output: Annotated[DiffFormat, typer.Option("--format", help="Output format.")] = (
        DiffFormat.text),
    jobs: JobsOption = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print nothing but the case files that cannot be read: the exit "
        "code tells (as git diff --quiet).")] = False,
) -> None:
    """Show what a rule change does: each case assessed under both rule sets.

    Per case: findings gained and lost, severity changes, and offence statuses, maxima
    and recommended charges that change, with totals. Exit 1 when anything changes (as
    `git diff --exit-code` does), 0 when nothing does, 2 on bad input.

    \b
    Examples:
      chargecheck rules diff old-rules/ rules/ cases/
      chargecheck rules diff rules/ my-pack/ cases/ --format markdown > change.md
      chargecheck rules diff old-rules/ rules/ 'cases/**/*.yaml' --jobs 4
      chargecheck rules diff -q old-rules/ rules/ cases/
    """
    def run() -> int:
        # On use: the rule sets, the engine and the diff report.
        from chargecheck.cli.rules_diff import run_diff, show

        diff = run_diff(old, new, paths, jobs or os.cpu_count() or 1, progress=not quiet)
        show(diff, output.value, quiet)
        return EXIT_INPUT if diff.problems else EXIT_FINDINGS if diff.changed else EXIT_OK

    _exit(guarded(run))


@app.command(cls=Command)
def explain(
    rule_id: Annotated[str, typer.Argument(
        metavar="RULE_ID", help="A rule id, such as UC-001.", show_default=False)],
    rules: RulesOption = None,
) -> None:
    """Explain one rule: why it matters, its condition in plain English, its law.

    \b
    Examples:
      chargecheck explain UC-001
      chargecheck explain AX-001 --rules my-pack/
    """
    def run() -> int:
        # On use: the rule set and its documentation.
        from chargecheck.cli.rule_loading import load_rules
        from chargecheck.rulebook.directory import test_directories
        from chargecheck.rulebook.rule_docs import explain_text, find_rule
        from chargecheck.rulebook.rule_tests import firing_examples

        rule = find_rule(load_rules(rules), rule_id)
        example = firing_examples(*test_directories(rules)).get(rule["id"])
        sys.stdout.write(explain_text(rule, example))
        return EXIT_OK

    _exit(guarded(run))


class SchemaKind(StrEnum):  # schemas.SCHEMA_KINDS, spelt out for typer (a test keeps them equal)
    case = "case"
    rules = "rules"
    offences = "offences"
    behaviours = "behaviours"
    indicators = "indicators"
    escalation = "escalation"
    audit = "audit"
    manifest = "manifest"


@app.command(cls=Command)
def schema(kind: Annotated[SchemaKind, typer.Argument(
        metavar="KIND", help="Which file's schema: case, rules, offences, behaviours, "
        "indicators, escalation, audit or manifest.", show_default=False)]) -> None:
    """Print the JSON Schema of case files or rule files.

    \b
    Examples:
      chargecheck schema case > case.schema.json
      chargecheck schema rules
    """
    def run() -> int:
        # On use: pydantic's schema generation for every model.
        import json

        from chargecheck.rulebook.schemas import schema_for

        sys.stdout.write(json.dumps(schema_for(kind.value), indent=2) + "\n")
        return EXIT_OK

    _exit(guarded(run))


class AuditFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    markdown = "markdown"


@app.command(cls=Command)
def audit(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATHS...",
        help="Case files, directories (searched for *.yaml, *.yml) or glob patterns.",
        show_default=False)],
    output: Annotated[AuditFormat, typer.Option("--format", help="Output format.")] = (
        AuditFormat.text),
    cases: Annotated[bool, typer.Option("--cases", help="Add one line per case.")] = False,
    jobs: JobsOption = None,
    rules: RulesOption = None,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="Exit 1 if any case has a finding at or above this severity; never: "
        "exit 0 whatever is found.")] = FailOn.high,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print nothing but the files that cannot be read: the exit code "
        "tells.")] = False,
) -> None:
    """Review many case files: the scrutiny-panel table of findings, escalation and charges.

    A file that cannot be read is reported and counted (exit 2); the rest are still assessed.

    \b
    Examples:
      chargecheck audit cases/ --cases
      chargecheck audit 'cases/2024-*.yaml' --format csv > review.csv
      chargecheck audit cases/ --quiet --fail-on critical
    """
    def run() -> int:
        # On use: multiprocessing, the engine and the audit's reports.
        from chargecheck.cli.audit import run_audit

        never = fail_on == NEVER  # the tally still counts cases at critical
        tally = run_audit(paths, output.value, cases, jobs or os.cpu_count() or 1, rules,
                          Severity.critical.value if never else fail_on.value, quiet)
        failing = tally.failing and not never
        return EXIT_INPUT if tally.invalid else EXIT_FINDINGS if failing else EXIT_OK

    _exit(guarded(run))


@app.command(cls=Command)
def timeline(case: CasePath, rules: RulesOption = None) -> None:
    """Draw the course of conduct: incidents, gaps, frequency and the six-month window.

    Shows warnings and orders, and points out rising frequency or severity.

    \b
    Examples:
      chargecheck timeline case.yaml
    """
    def run() -> int:
        # On use: the case model, the engine and rich.
        from chargecheck.case.loading import load_case
        from chargecheck.cli.rule_loading import load_rules
        from chargecheck.reports.timeline import draw

        terminal = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        sys.stdout.write(draw(load_case(case), load_rules(rules), terminal))
        return EXIT_OK

    _exit(guarded(run))


scenarios_app = typer.Typer(
    cls=Group, no_args_is_help=True,
    help="Training scenarios for trainers: list, show, run and export them.\n\n\b\n"
    "Examples:\n  chargecheck scenarios list\n  chargecheck scenarios run seven-websites")
app.add_typer(scenarios_app, name="scenarios")
ScenarioName = Annotated[str, typer.Argument(
    metavar="NAME", help="A scenario name (see `chargecheck scenarios list`).", show_default=False)]


@scenarios_app.command("list", cls=Command)
def scenarios_list() -> None:
    """Every bundled training scenario: name, title and what it teaches.

    \b
    Examples:
      chargecheck scenarios list
    """
    def run() -> int:
        # On use: the scenarios' models and rich.
        from chargecheck.reports.training_view import print_list

        print_list()
        return EXIT_OK

    _exit(guarded(run))


@scenarios_app.command("show", cls=Command)
def scenarios_show(
    name: ScenarioName,
    handout: Annotated[bool, typer.Option(
        "--handout", help="Only the facts and the questions, to project or hand out.")] = False,
    answers: Annotated[bool, typer.Option(
        "--answers", help="Only the model answer, the law and what the tool should show.")
    ] = False,
) -> None:
    """Print a scenario's teaching notes and its case file.

    \b
    Examples:
      chargecheck scenarios show knife-threat-pin
      chargecheck scenarios show knife-threat-pin --handout
    """
    def run() -> int:
        # On use: the scenarios' models and rich.
        from chargecheck.errors import InputError
        from chargecheck.reports.training_view import show

        if handout and answers:
            raise InputError.one(name, None, (), "choose --handout or --answers, not both")
        show(name, handout=handout, answers=answers)
        return EXIT_OK

    _exit(guarded(run))


@scenarios_app.command("run", cls=Command)
def scenarios_run(
    name: ScenarioName,
    no_pause: Annotated[bool, typer.Option(
        "--no-pause", help="Do not wait for Enter between steps.")] = False,
) -> None:
    """Walk through a scenario: what happened, questions, live assessment, model answer.

    \b
    Examples:
      chargecheck scenarios run seven-websites
      chargecheck scenarios run seven-websites --no-pause
    """
    def run() -> int:
        # On use: the scenarios, the rule set, the engine and rich.
        from chargecheck.cli.rule_loading import load_rules
        from chargecheck.reports.training_view import run as walk_through

        paged = not no_pause and sys.stdin.isatty() and sys.stdout.isatty()
        with _no_echoed_interrupt(paged):
            return walk_through(name, paged, load_rules(None))

    _exit(guarded(run))


@contextmanager
def _no_echoed_interrupt(active: bool) -> Iterator[None]:
    """While a scenario is on screen, Ctrl-C leaves without the terminal echoing `^C`."""
    if not active:
        yield
        return
    # On use: the terminal's settings (POSIX only; elsewhere the echo stays).
    try:
        import termios

        saved = termios.tcgetattr(sys.stdin.fileno())
    except (ImportError, OSError):
        yield
        return
    quiet = list(saved)
    quiet[3] &= ~termios.ECHOCTL
    termios.tcsetattr(sys.stdin.fileno(), termios.TCSANOW, quiet)
    try:
        yield
    finally:
        termios.tcsetattr(sys.stdin.fileno(), termios.TCSANOW, saved)


@scenarios_app.command("export", cls=Command)
def scenarios_export(
    name: ScenarioName,
    output: Annotated[str, typer.Option(
        "--output", "-o", metavar="FILE", help="The case file to write.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a scenario's case as a case file that `assess` reads.

    \b
    Examples:
      chargecheck scenarios export seven-websites -o case.yaml
    """
    def run() -> int:
        # On use: the scenarios, the case loader and the schema path of the intake.
        from chargecheck.case.loading import load_case
        from chargecheck.case.scenarios import case_file, load_scenario
        from chargecheck.cli.intake import schema_path
        from chargecheck.reports.output_files import write_report

        content = case_file(load_scenario(name), schema_path(output))
        load_case(output, content)  # what is written must read back as a case
        write_report(content, output, [], force)
        sys.stderr.write(f"Wrote {output}. Assess it with: chargecheck assess {output}\n")
        return EXIT_OK

    _exit(guarded(run))


@app.command("new", cls=Command)
def new_case(
    path: Annotated[str, typer.Argument(
        metavar="CASE", help="The case file to write.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    resume: Annotated[bool, typer.Option(
        "--resume", help="Continue the draft (CASE.draft) at the next unanswered question.")
    ] = False,
) -> None:
    """Write a case file by answering a prosecutor's questions, each checked as it is given.

    Type ? for the allowed words and b to go back. Every answer is saved in CASE.draft,
    so Ctrl-C loses nothing: continue with --resume.

    \b
    Examples:
      chargecheck new case.yaml
      chargecheck new case.yaml --resume
    """
    def run() -> int:
        # On use: the interview, yaml, the case model and the rule set's glossary.
        from chargecheck.cli.intake import intake

        return intake(path, force, resume=resume)

    _exit(guarded(run))


def _exit(code: int) -> NoReturn:
    raise typer.Exit(code)


def main() -> None:
    """Run the command line through typer alone (the console script is `chargecheck.cli.entry`)."""
    app(prog_name="chargecheck")
