"""`python -m lineage` runs the CLI."""

from lineage.cli.main import main

main()
