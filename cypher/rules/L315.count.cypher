// L315 redundant-depends-on: the checked population (DependsOn entries naming a step of the
// pipeline) for "N of M".
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(:Step)-[d:DEPENDS_ON]->(:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
RETURN count(d) AS checked
