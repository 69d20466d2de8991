// L313 training-data-not-traceable: the checked population (literal training-data URIs of
// Training and Tuning steps) for "N of M".
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)-[c:CONSUMES {input_kind: 'dataset', literal: true}]->()
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND s.step_type IN ['Training', 'Tuning']
RETURN count(c) AS checked
