"""`lineage export openlineage`: the lineage graph as OpenLineage events (docs/openlineage.md)."""
