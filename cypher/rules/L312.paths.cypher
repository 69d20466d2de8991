// L312 transform-model-not-from-pipeline, for Neo4j Browser: Transform steps with a literal
// model name, and those whose model name reads something other than a Model step.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step {step_type: 'Transform'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND (s.model_name IS NOT NULL
       OR (EXISTS { (s)-[:USES {input_kind: 'model_name'}]->(:PropertyRef)-[:RESOLVES_TO]->() }
           AND NOT EXISTS {
             (s)-[:USES {input_kind: 'model_name'}]->(:PropertyRef)
             -[:RESOLVES_TO]->(:Step {step_type: 'Model'})
           }))
MATCH path = (p)-[:HAS_STEP]->(s)-[:USES {input_kind: 'model_name'}]->{0,1}()
             -[:RESOLVES_TO]->{0,1}()
RETURN path
