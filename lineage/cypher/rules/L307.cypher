// L307 model-not-from-training: a Model or RegisterModel container whose ModelDataUrl reads no
// model artifact of a Training, Tuning or AutoML step (a literal URI, a parameter, another step's
// output). One row per container, at the first of its resolved values by pointer.
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
WITH s, entry, pointer,
     ref IS NOT NULL AND coalesce(source.artifact_kind = 'model', false) AS trained,
     CASE WHEN ref IS NULL THEN 'literal' WHEN source:Parameter THEN 'parameter'
          ELSE 'reference' END AS via,
     CASE WHEN ref IS NULL THEN source.uri WHEN source:Parameter THEN source.name
          ELSE ref.expression END AS value
ORDER BY pointer
// One container (entry) at a time: reported when none of its values reads a trained model.
WITH s, entry, collect({pointer: pointer, trained: trained, via: via, value: value}) AS values
WHERE none(v IN values WHERE v.trained)
WITH s, values[0] AS first
RETURN 'Step' AS kind, s.key AS key, first.pointer AS pointer,
       {step_type: s.step_type, step: s.name, via: first.via, value: first.value} AS args
