// L302 invalid-property-path: the checked population (step references) for "N of M".
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(:Step)-[:USES]->(r:PropertyRef {root: 'Steps'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
RETURN count(DISTINCT r) AS checked
