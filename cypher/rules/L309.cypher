// L309 evaluated-model-mismatch: a registration whose metrics come from a step that evaluated
// models (read them, directly or through the steps it reads data from), none of them the
// registered model or a model the registered one was made from.
// One row per metrics-producing step, at the first metrics pointer it produces.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step {step_type: 'RegisterModel'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
// The registered model artifacts, by key, each with the step that produced it (if any).
CALL (s) {
  MATCH (s)-[:CONSUMES {input_kind: 'model'}]->(model:Artifact)
  WITH DISTINCT model
  OPTIONAL MATCH (model)<-[:PRODUCES]-(producer:Step)
  WITH model, producer ORDER BY producer.key
  WITH model, collect(producer) AS producers ORDER BY model.key
  RETURN collect(model.key) AS registered,
         collect({step: producers[0].name, uri: model.uri}) AS registered_args,
         reduce(keys = [], ps IN collect(producers) | keys + [x IN ps | x.key]) AS producers
}
WITH p, s, registered, registered_args, producers WHERE size(registered) > 0
// The steps that produce the registration's metrics, each with its first metrics pointer: the
// step a reference reads properties of, the producer of the output it reads, or the other
// steps whose non-model output holds a literal URI.
CALL (p, s) {
  CALL (p, s) {
    MATCH (s)-[u:USES {input_kind: 'metrics'}]->(:PropertyRef)-[:RESOLVES_TO]->(evaluator:Step)
    RETURN u.arg AS pointer, evaluator
    UNION
    MATCH (s)-[u:USES {input_kind: 'metrics'}]->(:PropertyRef)-[:RESOLVES_TO]->(:Artifact)
          <-[:PRODUCES]-(evaluator:Step)
    RETURN u.arg AS pointer, evaluator
    UNION
    MATCH (s)-[c:CONSUMES {input_kind: 'metrics', literal: true}]->(a:Artifact)
    MATCH (p)-[:HAS_STEP]->(evaluator:Step)-[:PRODUCES]->(output:Artifact)
    WHERE evaluator <> s AND output.artifact_kind <> 'model' AND output.uri IS NOT NULL
      AND (a.uri = output.uri
           OR a.uri STARTS WITH CASE WHEN output.uri ENDS WITH '/' THEN output.uri
                                     ELSE output.uri + '/' END)
    RETURN c.arg AS pointer, evaluator
  }
  RETURN evaluator, min(pointer) AS pointer
}
// An evaluator that reads a registered model itself evaluated it: no finding, whatever else
// it read (the models it evaluated and the registered lineage share that one).
WITH p, s, registered, registered_args, producers, evaluator, pointer
WHERE NOT EXISTS {
  MATCH (p)-[:HAS_STEP]->(evaluator)-[:CONSUMES]->(m:Artifact {artifact_kind: 'model'})
  WHERE m.key IN registered
}
// The pipeline's steps, each read once: its key, name, the steps its `Steps.<name>` references
// name, its literal URIs, its non-model output URIs and the models it reads.
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
// "Reads data from", between the steps of the pipeline: [reader key, upstream key] for each
// Steps.<name> reference, and for each literal URI at or below another step's non-model output.
WITH p, s, registered, registered_args, producers, evaluator, pointer, steps,
     reduce(found = [], reader IN steps | found + [upstream IN steps
       WHERE upstream.key <> reader.key
         AND (upstream.name IN reader.targets
              OR any(uri IN reader.literals WHERE any(output IN upstream.outputs
                   WHERE uri = output
                      OR uri STARTS WITH CASE WHEN output ENDS WITH '/' THEN output
                                              ELSE output + '/' END)))
       | [reader.key, upstream.key]]) AS links
// The models the producers of the registered models read (their lineage), through every step
// they read data from: the closure of `links`, one round per link at most.
WITH p, s, registered, registered_args, evaluator, pointer, links, steps,
     reduce(seen = producers, i IN range(1, size(links)) |
            seen + [l IN links WHERE l[0] IN seen AND NOT l[1] IN seen | l[1]]) AS upstream
WITH p, s, registered_args, evaluator, pointer, links,
     registered + reduce(found = [], x IN steps | found
                         + CASE WHEN x.key IN upstream THEN x.models ELSE [] END) AS lineage
// The models each of them evaluated: read by it or by any step it reads data from.
WITH p, s, registered_args, lineage, evaluator, pointer,
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
WITH s, registered_args, lineage, evaluator, pointer, evaluated, evaluated_args
WHERE size(evaluated) > 0 AND none(key IN evaluated WHERE key IN lineage)
RETURN 'Step' AS kind, s.key AS key, pointer,
       {step: s.name, evaluator: evaluator.name, evaluated: evaluated_args,
        registered: registered_args} AS args
