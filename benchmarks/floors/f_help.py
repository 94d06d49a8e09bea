"""F_help: what typer's rich `--help` has to import."""
import typer
import typer.rich_utils  # noqa: F401
