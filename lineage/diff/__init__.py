"""`lineage diff`: what changed between two versions of a pipeline, and what the change affects."""
