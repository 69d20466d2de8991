// L314 orphan-step: the checked population (Processing, Training, Tuning and AutoML steps with
// outputs, in pipelines of more than one step) for "N of M".
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND s.step_type IN ['Processing', 'Training', 'Tuning', 'AutoML']
  AND EXISTS { (s)-[:PRODUCES]->(:Artifact) }
  AND COUNT { (p)-[:HAS_STEP]->(:Step) } > 1
RETURN count(s) AS checked
