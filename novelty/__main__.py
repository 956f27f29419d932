"""``python -m novelty`` runs the CLI."""

from novelty.cli import main

main()
