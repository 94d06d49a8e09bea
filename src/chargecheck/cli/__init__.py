"""The command line: the typer app, the console script's fast path and every command's body.
The top layer; the only one that imports inside functions, to keep start-up fast
(docs/architecture.md).
"""
