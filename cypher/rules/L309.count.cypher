// L309 evaluated-model-mismatch: the checked population (registrations of a model, each with
// a step that produces its metrics) for "N of M".
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step {step_type: 'RegisterModel'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND EXISTS { (s)-[:CONSUMES {input_kind: 'model'}]->(:Artifact) }
CALL (p, s) {
  MATCH (s)-[:USES {input_kind: 'metrics'}]->(:PropertyRef)-[:RESOLVES_TO]->(evaluator:Step)
  RETURN evaluator
  UNION
  MATCH (s)-[:USES {input_kind: 'metrics'}]->(:PropertyRef)-[:RESOLVES_TO]->(:Artifact)
        <-[:PRODUCES]-(evaluator:Step)
  RETURN evaluator
  UNION
  MATCH (s)-[:CONSUMES {input_kind: 'metrics', literal: true}]->(a:Artifact)
  MATCH (p)-[:HAS_STEP]->(evaluator:Step)-[:PRODUCES]->(output:Artifact)
  WHERE evaluator <> s AND output.artifact_kind <> 'model' AND output.uri IS NOT NULL
    AND (a.uri = output.uri
         OR a.uri STARTS WITH CASE WHEN output.uri ENDS WITH '/' THEN output.uri
                                   ELSE output.uri + '/' END)
  RETURN evaluator
}
RETURN count(*) AS checked
