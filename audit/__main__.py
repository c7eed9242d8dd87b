"""`python -m audit` runs the CLI, for environments without the console script on PATH."""

from .cli import entry

entry()
