// L326 ungated-model-serving: the checked population (Transform and Lambda steps outside
// every Condition) for "N of M".
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND s.step_type IN ['Transform', 'Lambda']
  AND NOT EXISTS { ()-[:IF_TRUE|IF_FALSE]->(s) }
RETURN count(s) AS checked
