// L305 dependency-cycle, for Neo4j Browser: the cycles of RUNS_AFTER edges between steps.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
MATCH path = (s)-[:RUNS_AFTER]->+(s)
RETURN path
