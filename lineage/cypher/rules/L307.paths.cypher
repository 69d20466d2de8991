// L307 model-not-from-training, for Neo4j Browser: each reported container, from the step to
// what its model data reads instead of a trained model artifact.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND s.step_type IN ['Model', 'RegisterModel']
MATCH path = (p)-[:HAS_STEP]->(s)-[u:USES|CONSUMES {input_kind: 'model'}]->(x)
             -[:RESOLVES_TO]->{0,1}(source)
WHERE (u.literal OR (x:PropertyRef AND source <> x))
  AND NOT EXISTS {
    MATCH (s)-[:USES {input_kind: 'model', entry: u.entry}]->(:PropertyRef)
          -[:RESOLVES_TO]->(:Artifact {artifact_kind: 'model'})
  }
RETURN path
