// L302 invalid-property-path: a {"Get": "Steps.X.<path>"} whose path is not a property of step X
// (checked by the collector against X's Describe response: the PropertyRef's path_valid).
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(:Step)-[:USES]->(r:PropertyRef {root: 'Steps', path_valid: false})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
RETURN 'PropertyRef' AS kind, r.key AS key, r.pointer AS pointer,
       {expression: r.expression, error: r.path_error} AS args
