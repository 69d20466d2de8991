// L325 gate-evaluated-other-model: the checked population (Model, Transform and Lambda steps
// behind a Condition that reads a step's property) for "N of M".
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND s.step_type IN ['Model', 'Transform', 'Lambda']
  AND EXISTS {
    MATCH (c:Step {step_type: 'Condition'})-[:IF_TRUE|IF_FALSE]->+(s)
    WHERE EXISTS { (c)-[:USES]->(:PropertyRef {root: 'Steps'}) }
  }
RETURN count(s) AS checked
