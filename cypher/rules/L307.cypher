// L307 model-not-from-training: a Model or RegisterModel container whose ModelDataUrl reads
// nothing a step of the pipeline produces: a parameter, or a literal URI under no step's
// (non-model) output. Trained and tuned models, processing outputs (serial-inference
// preprocessing models) and Lambda or Callback output parameters all count as produced.
// One row per container, at the first of its resolved values by pointer.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND s.step_type IN ['Model', 'RegisterModel']
// What each model-data slot reads: a reference and what it resolves to, or a literal URI.
CALL (s) {
  MATCH (s)-[u:USES {input_kind: 'model'}]->(r:PropertyRef)-[:RESOLVES_TO]->(source)
  RETURN u.arg AS pointer, u.entry AS entry, r AS ref, source
  UNION
  MATCH (s)-[c:CONSUMES {input_kind: 'model', literal: true}]->(source:Artifact)
  RETURN c.arg AS pointer, c.entry AS entry, null AS ref, source
}
// Produced: a step's properties, a step's declared output or model, or a literal URI at or
// below the declared (non-model) output of another step of the pipeline.
WITH p, s, entry, pointer, ref, source,
     CASE
       WHEN source:Parameter THEN false
       WHEN source:Step THEN true
       WHEN ref IS NOT NULL THEN EXISTS { (source)<-[:PRODUCES]-() }
       ELSE EXISTS {
         MATCH (p)-[:HAS_STEP]->(other:Step)-[:PRODUCES]->(output:Artifact)
         WHERE other <> s AND output.artifact_kind <> 'model' AND output.uri IS NOT NULL
           AND (source.uri = output.uri
                OR source.uri STARTS WITH CASE WHEN output.uri ENDS WITH '/' THEN output.uri
                                               ELSE output.uri + '/' END)
       }
     END AS produced
WITH s, entry, pointer, produced,
     CASE WHEN ref IS NULL THEN 'literal' WHEN source:Parameter THEN 'parameter'
          ELSE 'reference' END AS via,
     CASE WHEN ref IS NULL THEN source.uri WHEN source:Parameter THEN source.name
          ELSE ref.expression END AS value
ORDER BY pointer
// One container (entry) at a time: reported when none of its values is produced.
WITH s, entry, collect({pointer: pointer, produced: produced, via: via, value: value}) AS values
WHERE none(v IN values WHERE v.produced)
WITH s, values[0] AS first
RETURN 'Step' AS kind, s.key AS key, first.pointer AS pointer,
       {step_type: s.step_type, step: s.name, via: first.via, value: first.value} AS args
