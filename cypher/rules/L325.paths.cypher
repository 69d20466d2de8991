// L325 gate-evaluated-other-model, for Neo4j Browser: each serving step behind a metric gate
// with the gate's branch path, the metric the gate reads, and the models the serving step and
// the evaluation step read. Run L325.cypher for the verdict; this shows the evidence around
// every serving step behind a metric gate whose evaluation step read a model.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND s.step_type IN ['Model', 'Transform', 'Lambda']
MATCH (c:Step {step_type: 'Condition'})-[:IF_TRUE|IF_FALSE]->+(s)
MATCH (c)-[:USES]->(gr:PropertyRef {root: 'Steps'})
MATCH (p)-[:HAS_STEP]->(evaluator:Step {name: gr.target_step})
WHERE EXISTS { (evaluator)-[:CONSUMES]->(:Artifact {artifact_kind: 'model'}) }
   OR EXISTS { (evaluator)-[:USES]->(:PropertyRef {output_family: 'model'}) }
CALL (c, s, gr, evaluator) {
  MATCH path = (c)-[:IF_TRUE|IF_FALSE]->+(s)
  RETURN path
  UNION
  MATCH path = (c)-[:USES]->(gr)
  RETURN path
  UNION
  MATCH path = (evaluator)-[:CONSUMES]->(:Artifact {artifact_kind: 'model'})
  RETURN path
  UNION
  MATCH path = (s)-[:CONSUMES {input_kind: 'model'}]->(:Artifact)
  RETURN path
  UNION
  MATCH path = (s)-[:USES]->(:PropertyRef {root: 'Steps'})
  RETURN path
}
RETURN path
