// Metrics from another model: registrations whose metrics come from evaluating a different model
// Question: for which RegisterModel steps does a step that produced the registered model metrics
//   (ModelMetrics sources read by reference) read a model, itself or through the steps it reads
//   data from, but neither the registered model artifact nor a model upstream of it (one a repack
//   step started from)? Steps read through RUNS_AFTER edges with 'data' in `via`. Metrics from
//   steps that read no model at all (data quality, pre-training bias) are not judged. Rule L309
//   asks the same question, and also follows literal URIs to the steps that write there.
// Parameters:
//   $pipeline (string, default null): only this pipeline (its name).
// Returns: pipeline, step, package, evaluator, evaluated, registered
//   evaluator: the name of the step that produced the metrics; evaluated: the keys of the model
//   artifacts it read; registered: the keys of the model artifacts the step registers.
MATCH (p:Pipeline)-[:HAS_STEP]->(reg:Step {step_type: 'RegisterModel'})
WHERE $pipeline IS NULL OR p.name = $pipeline
CALL (reg) {
  MATCH (reg)-[:CONSUMES {input_kind: 'model'}]->(model:Artifact)
  OPTIONAL MATCH (model)<-[:PRODUCES]-(trainer:Step)
  OPTIONAL MATCH ANY SHORTEST (trainer) (()-[r:RUNS_AFTER]->() WHERE 'data' IN r.via)* (up:Step)
  OPTIONAL MATCH (up)-[:CONSUMES]->(read:Artifact {artifact_kind: 'model'})
  WITH model, read ORDER BY model.key
  RETURN collect(DISTINCT model.key) AS registered, collect(DISTINCT read.key) AS upstream
}
WITH p, reg, registered, registered + upstream AS lineage
WHERE size(registered) > 0
MATCH (reg)-[:USES {input_kind: 'metrics'}]->(:PropertyRef)-[:RESOLVES_TO]->()
      <-[:PRODUCES]-{0,1}(evaluator:Step)
WITH DISTINCT p, reg, registered, lineage, evaluator
CALL (evaluator) {
  MATCH ANY SHORTEST (evaluator) (()-[r:RUNS_AFTER]->() WHERE 'data' IN r.via)* (up:Step)
  MATCH (up)-[:CONSUMES]->(read:Artifact {artifact_kind: 'model'})
  WITH DISTINCT read ORDER BY read.key
  RETURN collect(read.key) AS evaluated
}
WITH p, reg, registered, lineage, evaluator, evaluated
WHERE size(evaluated) > 0 AND none(key IN evaluated WHERE key IN lineage)
OPTIONAL MATCH (reg)-[:REGISTERS]->(pkg:ModelPackage)
RETURN p.name AS pipeline, reg.name AS step, pkg.key AS package, evaluator.name AS evaluator,
       evaluated, registered
ORDER BY pipeline, step, evaluator
