"""`lineage export openlineage`: the graph as OpenLineage events (docs/lineage-export.md)."""
