"""One module per command (or command group): its parameters, its help, and a call into
the module that does the work. Each is imported only when its command is used or its own
help is asked for (`chargecheck.cli.app` lists them)."""
