// L301 dangling-step-reference, for Neo4j Browser: each step and the reference that dangles.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH path = (p:Pipeline)-[:HAS_STEP]->(:Step)-[:USES]->(r:PropertyRef {root: 'Steps'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND r.target_step IS NOT NULL
  AND NOT EXISTS { MATCH (p)-[:HAS_STEP]->(:Step {name: r.target_step}) }
RETURN path
