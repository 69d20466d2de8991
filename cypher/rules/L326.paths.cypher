// L326 ungated-model-serving, for Neo4j Browser: each Transform or Lambda step outside every
// Condition with the path to the model it serves and the Training or Tuning step behind it.
// Run L326.cypher for the verdict (it also leaves out transforms whose output a step reads).
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND s.step_type IN ['Transform', 'Lambda']
  AND NOT EXISTS { ()-[:IF_TRUE|IF_FALSE]->(s) }
CALL (p, s) {
  MATCH path = (s)-[:CONSUMES {input_kind: 'model'}]->(:Artifact)<-[:PRODUCES]-(trainer:Step)
  WHERE trainer.step_type IN ['Training', 'Tuning']
  RETURN path
  UNION
  MATCH path = (s)-[:USES]->(r:PropertyRef {root: 'Steps'})
  MATCH (p)-[:HAS_STEP]->(t:Step {name: r.target_step})
  MATCH more = (t)-[:CONSUMES {input_kind: 'model'}]->(:Artifact)<-[:PRODUCES]-(trainer:Step)
  WHERE t <> s AND trainer.step_type IN ['Training', 'Tuning']
  RETURN more AS path
}
RETURN path
