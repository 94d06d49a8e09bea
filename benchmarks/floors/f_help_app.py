"""F_help_app: the smallest typer app with rich help (two commands) printing `--help`.

Not a floor chargecheck can beat: it shows what typer's own help costs above F_help.
"""
import typer

app = typer.Typer(add_completion=False, help="A two-command app.")


@app.command()
def one(path: str, output: str = "text") -> None:
    """Do one thing with a file."""


@app.command()
def two(path: str) -> None:
    """Do another thing with it."""


app(["--help"])
