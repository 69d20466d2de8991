// L302 invalid-property-path, for Neo4j Browser: each step, the reference with the invalid path
// and, when it names one, the step it reads from.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH path = (p:Pipeline)-[:HAS_STEP]->(:Step)-[:USES]->(r:PropertyRef {root: 'Steps'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND r.path_valid = false
OPTIONAL MATCH (p)-[:HAS_STEP]->(target:Step {name: r.target_step})
RETURN path, target, r.path_error AS error
