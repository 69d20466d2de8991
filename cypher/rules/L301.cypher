// L301 dangling-step-reference: a {"Get": "Steps.X..."} names a step X the pipeline does not have.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(:Step)-[:USES]->(r:PropertyRef {root: 'Steps'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND r.target_step IS NOT NULL
  AND NOT EXISTS { MATCH (p)-[:HAS_STEP]->(:Step {name: r.target_step}) }
OPTIONAL MATCH (p)-[:HAS_STEP]->(other:Step)
WITH r, collect(other.name) AS candidates
RETURN 'PropertyRef' AS kind, r.key AS key, r.pointer AS pointer,
       {expression: r.expression, target: r.target_step, candidates: candidates} AS args
