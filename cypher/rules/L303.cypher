// L303 unknown-output-name: Outputs['x'], PropertyFiles.X or OutputParameters['x'] that the
// producing step does not declare.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(:Step)-[:USES]->(r:PropertyRef {root: 'Steps', resolved: false})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND r.output_family IN ['outputs', 'property_files', 'output_parameters']
MATCH (p)-[:HAS_STEP]->(t:Step {name: r.target_step})
OPTIONAL MATCH (t)-[:PRODUCES]->(a:Artifact)
WHERE a.key STARTS WITH t.key + '/' + r.output_family + '/'
WITH r, t, a ORDER BY a.key
WITH r, t, collect(a.name) AS declared
RETURN 'PropertyRef' AS kind, r.key AS key, r.pointer AS pointer,
       {target: t.name, family: r.output_family, wanted: r.output_name, declared: declared} AS args
