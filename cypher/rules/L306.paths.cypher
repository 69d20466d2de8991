// L306 unknown-depends-on, for Neo4j Browser: steps whose DependsOn names a missing step.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH path = (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND any(name IN s.depends_on WHERE NOT EXISTS { MATCH (p)-[:HAS_STEP]->(:Step {name: name}) })
RETURN path, s.depends_on AS depends_on
