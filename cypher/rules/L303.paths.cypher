// L303 unknown-output-name, for Neo4j Browser: the reference and the step it reads from,
// with the outputs that step does declare.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)-[:USES]->(r:PropertyRef {root: 'Steps', resolved: false})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND r.output_family IN ['outputs', 'property_files', 'output_parameters']
MATCH (p)-[:HAS_STEP]->(t:Step {name: r.target_step})
OPTIONAL MATCH declared = (t)-[:PRODUCES]->(:Artifact)
RETURN (s)-[:USES]->(r) AS reference, t AS producer, collect(declared) AS declared
