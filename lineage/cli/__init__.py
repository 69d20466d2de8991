"""The `lineage` command line: parsing arguments and printing; the work is done elsewhere."""
