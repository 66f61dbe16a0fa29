"""``python -m coordeval`` runs the command line."""

from coordeval.cli import main

main()
