// L304 undefined-parameter, for Neo4j Browser: steps reading parameters that do not exist.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH path = (p:Pipeline)-[:HAS_STEP]->(:Step)-[:USES]->(r:PropertyRef {root: 'Parameters'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND r.resolved = false AND r.target_parameter IS NOT NULL
RETURN path
