// L312 transform-model-not-from-pipeline: a Transform step whose ModelName is a literal, or reads
// (a parameter, another step's output) anything but a property of a Model step.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step {step_type: 'Transform'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
CALL (s) {
  // A literal model name.
  WITH s WHERE s.model_name IS NOT NULL
  RETURN s.pointer + '/Arguments/ModelName' AS pointer, 'literal' AS via, s.model_name AS value
  UNION
  // References in ModelName, none of which reads a Model step: the first by pointer.
  MATCH (s)-[u:USES {input_kind: 'model_name'}]->(r:PropertyRef)-[:RESOLVES_TO]->(source)
  WITH u.entry AS entry, u.arg AS pointer,
       source:Step AND coalesce(source.step_type = 'Model', false) AS from_model,
       CASE WHEN source:Parameter THEN 'parameter' ELSE 'reference' END AS via,
       CASE WHEN source:Parameter THEN source.name ELSE r.expression END AS value
  ORDER BY pointer
  WITH entry, collect({pointer: pointer, from_model: from_model, via: via, value: value}) AS values
  WHERE none(v IN values WHERE v.from_model)
  RETURN values[0].pointer AS pointer, values[0].via AS via, values[0].value AS value
}
RETURN 'Step' AS kind, s.key AS key, pointer, {step: s.name, via: via, value: value} AS args
