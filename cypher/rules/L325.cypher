// L325 gate-evaluated-other-model: a Model, Transform or deploying Lambda step behind a
// Condition that reads the metrics of a step which evaluated models (read them, directly or
// through the steps it reads data from), none of them the served model or one it was made from.
// A model that comes through a Model or RegisterModel step behind the same gate is that step's.
// One row per serving step and evaluation step, at the first pointer naming a served model.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND s.step_type IN ['Model', 'Transform', 'Lambda']
// The steps whose properties the Conditions around s read.
MATCH (c:Step {step_type: 'Condition'})-[:IF_TRUE|IF_FALSE]->+(s)
MATCH (c)-[:USES]->(gr:PropertyRef {root: 'Steps'})
MATCH (p)-[:HAS_STEP]->(evaluator:Step {name: gr.target_step})
WITH DISTINCT p, s, evaluator
// The models s serves, except those that come through a step behind a gate on the same
// evaluator: consumed, named through a Model or RegisterModel step, or an artifact URL.
CALL (p, s, evaluator) {
  MATCH (s)-[e:CONSUMES {input_kind: 'model'}]->(m:Artifact)
  RETURN e.arg AS pointer, m
  UNION
  MATCH (s)-[u:USES]->(r:PropertyRef {root: 'Steps'})
  MATCH (p)-[:HAS_STEP]->(t:Step {name: r.target_step})
  WHERE t <> s AND t.step_type IN ['Model', 'RegisterModel'] AND r.path IN ['ModelName', 'ModelPackageArn']
    AND NOT EXISTS {
      MATCH (c2:Step)-[:IF_TRUE|IF_FALSE]->+(t)
      WHERE EXISTS { (c2)-[:USES]->(:PropertyRef {root: 'Steps', target_step: evaluator.name}) }
    }
  MATCH (t)-[:CONSUMES {input_kind: 'model'}]->(m:Artifact)
  RETURN u.arg AS pointer, m
  UNION
  MATCH (s)-[u:USES]->(r:PropertyRef {root: 'Steps', output_family: 'model'})
  MATCH (p)-[:HAS_STEP]->(t:Step {name: r.target_step})-[:PRODUCES]->(m:Artifact {artifact_kind: 'model'})
  WHERE t <> s
  RETURN u.arg AS pointer, m
}
WITH p, s, evaluator, min(pointer) AS pointer, collect(DISTINCT m) AS served
WHERE size(served) > 0
// An evaluator that reads a served model itself evaluated it: no finding, whatever else it
// read (the models it evaluated and the served lineage share that one).
  AND NOT EXISTS {
    MATCH (p)-[:HAS_STEP]->(evaluator)-[:CONSUMES]->(m:Artifact {artifact_kind: 'model'})
    WHERE m IN served
  }
WITH p, s, evaluator, pointer, served
CALL (served) {
  UNWIND served AS model
  OPTIONAL MATCH (model)<-[:PRODUCES]-(producer:Step)
  WITH model, producer ORDER BY producer.key
  WITH model, collect(producer) AS producers ORDER BY model.key
  RETURN collect(model.key) AS served_keys,
         collect({step: producers[0].name, uri: model.uri}) AS served_args,
         reduce(keys = [], ps IN collect(producers) | keys + [x IN ps | x.key]) AS producers
}
// The pipeline's steps and "reads data from" between them, as in L309.
CALL (p) {
  MATCH (p)-[:HAS_STEP]->(step:Step)
  RETURN collect({
    key: step.key, name: step.name,
    targets: [(step)-[:USES]->(r:PropertyRef {root: 'Steps'}) | r.target_step],
    literals: [(step)-[:CONSUMES {literal: true}]->(a:Artifact) | a.uri],
    outputs: [(step)-[:PRODUCES]->(o:Artifact)
              WHERE o.artifact_kind <> 'model' AND o.uri IS NOT NULL | o.uri],
    models: [(step)-[:CONSUMES]->(m:Artifact {artifact_kind: 'model'}) | m.key]
  }) AS steps
}
WITH p, s, evaluator, pointer, served_keys, served_args, producers, steps,
     reduce(found = [], reader IN steps | found + [upstream IN steps
       WHERE upstream.key <> reader.key
         AND (upstream.name IN reader.targets
              OR any(uri IN reader.literals WHERE any(output IN upstream.outputs
                   WHERE uri = output
                      OR uri STARTS WITH CASE WHEN output ENDS WITH '/' THEN output
                                              ELSE output + '/' END)))
       | [reader.key, upstream.key]]) AS links
// The lineage of the served models: them, and the models their producers read upstream.
WITH p, s, evaluator, pointer, served_keys, served_args, links, steps,
     reduce(seen = producers, i IN range(1, size(links)) |
            seen + [l IN links WHERE l[0] IN seen AND NOT l[1] IN seen | l[1]]) AS upstream
WITH p, s, evaluator, pointer, served_args, links,
     served_keys + reduce(found = [], x IN steps | found
                          + CASE WHEN x.key IN upstream THEN x.models ELSE [] END) AS lineage
// The models the evaluator evaluated: read by it or by any step it reads data from.
WITH p, s, evaluator, pointer, served_args, lineage,
     reduce(seen = [evaluator.key], i IN range(1, size(links)) |
            seen + [l IN links WHERE l[0] IN seen AND NOT l[1] IN seen | l[1]]) AS upstream
CALL (p, upstream) {
  MATCH (p)-[:HAS_STEP]->(x:Step)-[:CONSUMES]->(m:Artifact {artifact_kind: 'model'})
  WHERE x.key IN upstream
  WITH DISTINCT m
  OPTIONAL MATCH (m)<-[:PRODUCES]-(producer:Step)
  WITH m, producer ORDER BY producer.key
  WITH m, collect(producer.name)[0] AS step ORDER BY m.key
  RETURN collect(m.key) AS evaluated, collect({step: step, uri: m.uri}) AS evaluated_args
}
WITH s, evaluator, pointer, served_args, lineage, evaluated, evaluated_args
WHERE size(evaluated) > 0 AND none(key IN evaluated WHERE key IN lineage)
RETURN 'Step' AS kind, s.key AS key, pointer,
       {step: s.name, evaluator: evaluator.name, evaluated: evaluated_args,
        served: served_args} AS args
