// L306 unknown-depends-on: the checked population (DependsOn entries).
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
RETURN sum(size(s.depends_on)) AS checked
