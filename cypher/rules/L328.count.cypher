// L328 condition-reads-own-branch: the checked population (Condition steps that read a step's
// property) for "N of M".
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(c:Step {step_type: 'Condition'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND EXISTS { (c)-[:USES]->(:PropertyRef {root: 'Steps'}) }
RETURN count(c) AS checked
