// L315 redundant-depends-on, for Neo4j Browser: each redundant DependsOn edge with the
// references through which the step already reads the step it depends on.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH path = (p:Pipeline)-[:HAS_STEP]->(s:Step)-[:DEPENDS_ON]->(t:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND EXISTS { (s)-[:USES]->(:PropertyRef {root: 'Steps', target_step: t.name}) }
RETURN path
UNION
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)-[:DEPENDS_ON]->(t:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
MATCH path = (s)-[:USES]->(:PropertyRef {root: 'Steps', target_step: t.name})
             -[:RESOLVES_TO]->{0,1}()
RETURN path
