// L304 undefined-parameter: {"Get": "Parameters.X"} where X is not declared.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(:Step)-[:USES]->(r:PropertyRef {root: 'Parameters'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND r.resolved = false AND r.target_parameter IS NOT NULL
OPTIONAL MATCH (p)-[:HAS_PARAMETER]->(q:Parameter)
WITH r, collect(q.name) AS declared
RETURN 'PropertyRef' AS kind, r.key AS key, r.pointer AS pointer,
       {name: r.target_parameter, declared: declared} AS args
