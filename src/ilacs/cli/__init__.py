"""The `ilacs` command line: a thin shell over the library, one module per family of commands
(`common` holds what they share: the consoles, --db, --json and opening the record)."""

from ilacs.cli.main import cli, main

__all__ = ["cli", "main"]
