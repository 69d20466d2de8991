"""`python -m lineage` runs the CLI."""

from lineage.cli import main

main()
