// L303 unknown-output-name: the checked population (references to named outputs).
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(:Step)-[:USES]->(r:PropertyRef {root: 'Steps'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND r.output_family IN ['outputs', 'property_files', 'output_parameters']
RETURN count(DISTINCT r) AS checked
