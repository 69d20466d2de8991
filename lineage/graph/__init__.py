"""The lineage graph, its secret-masking boundary, and traces through it."""
