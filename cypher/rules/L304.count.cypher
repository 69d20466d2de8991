// L304 undefined-parameter: the checked population (parameter references).
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(:Step)-[:USES]->(r:PropertyRef {root: 'Parameters'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
RETURN count(DISTINCT r) AS checked
