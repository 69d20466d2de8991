// L307 model-not-from-training: the checked population (containers of Model and RegisterModel
// steps with model data) for "N of M".
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)-[u:USES|CONSUMES {input_kind: 'model'}]->()
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND s.step_type IN ['Model', 'RegisterModel']
RETURN count(DISTINCT [s.key, u.entry]) AS checked
