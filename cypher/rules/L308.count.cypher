// L308 metrics-not-from-pipeline: the checked population (metrics sources of RegisterModel
// steps) for "N of M".
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step {step_type: 'RegisterModel'})
      -[u:USES|CONSUMES {input_kind: 'metrics'}]->()
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
RETURN count(DISTINCT [s.key, u.entry]) AS checked
