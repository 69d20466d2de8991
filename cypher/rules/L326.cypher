// L326 ungated-model-serving: a Transform whose output no step of the pipeline reads, or a
// Lambda step handed a model, outside every Condition, serving a model that a Training or
// Tuning step of the pipeline produced, unless an ungated registration registers it (L310).
// One row per step, at the first pointer naming such a model.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND s.step_type IN ['Transform', 'Lambda']
  AND NOT EXISTS { ()-[:IF_TRUE|IF_FALSE]->(s) }
  AND NOT (s.step_type = 'Transform' AND (
    EXISTS { MATCH (s)-[:PRODUCES]->(:Artifact)<-[:CONSUMES]-(x:Step) WHERE x <> s }
    OR EXISTS {
      MATCH (p)-[:HAS_STEP]->(x:Step)-[:USES]->(:PropertyRef {root: 'Steps', target_step: s.name})
      WHERE x <> s
    }))
// The models s serves: consumed, named through a Model or RegisterModel step, or an artifact URL.
CALL (p, s) {
  MATCH (s)-[e:CONSUMES {input_kind: 'model'}]->(m:Artifact)
  RETURN e.arg AS pointer, m
  UNION
  MATCH (s)-[u:USES]->(r:PropertyRef {root: 'Steps'})
  MATCH (p)-[:HAS_STEP]->(t:Step {name: r.target_step})
  WHERE t <> s AND t.step_type IN ['Model', 'RegisterModel'] AND r.path IN ['ModelName', 'ModelPackageArn']
  MATCH (t)-[:CONSUMES {input_kind: 'model'}]->(m:Artifact)
  RETURN u.arg AS pointer, m
  UNION
  MATCH (s)-[u:USES]->(r:PropertyRef {root: 'Steps', output_family: 'model'})
  MATCH (p)-[:HAS_STEP]->(t:Step {name: r.target_step})-[:PRODUCES]->(m:Artifact {artifact_kind: 'model'})
  WHERE t <> s
  RETURN u.arg AS pointer, m
}
WITH p, s, pointer, m
WHERE EXISTS { MATCH (m)<-[:PRODUCES]-(trainer:Step) WHERE trainer.step_type IN ['Training', 'Tuning'] }
WITH p, s, min(pointer) AS pointer, collect(DISTINCT m) AS models
// Not when a registration without a metric gate (L310) registers one of them.
WHERE NOT EXISTS {
  MATCH (p)-[:HAS_STEP]->(r:Step {step_type: 'RegisterModel'})-[:CONSUMES {input_kind: 'model'}]->(m:Artifact)
  WHERE m IN models
    AND NOT EXISTS {
      MATCH (c:Step)-[:IF_TRUE|IF_FALSE]->+(r)
      WHERE EXISTS { (c)-[:USES]->(:PropertyRef {output_family: 'property_files'}) }
    }
}
CALL (models) {
  UNWIND models AS model
  OPTIONAL MATCH (model)<-[:PRODUCES]-(producer:Step)
  WITH model, producer ORDER BY producer.key
  WITH model, collect(producer)[0] AS producer ORDER BY model.key
  RETURN collect({step: producer.name, uri: model.uri}) AS served
}
RETURN 'Step' AS kind, s.key AS key, pointer, {step: s.name, served: served} AS args
