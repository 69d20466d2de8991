// L310 ungated-registration: the checked population (RegisterModel steps) for "N of M".
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step {step_type: 'RegisterModel'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
RETURN count(s) AS checked
