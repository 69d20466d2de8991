// L301 dangling-step-reference: a {"Get": "Steps.X..."} names a step X the pipeline does not have.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args. The names of a pipeline's steps are
// read once per pipeline, then each reference is looked up among them.
MATCH (p:Pipeline)
WHERE $pipelines IS NULL OR p.key IN $pipelines
CALL (p) {
  OPTIONAL MATCH (p)-[:HAS_STEP]->(other:Step)
  RETURN collect(other.name) AS candidates
}
MATCH (p)-[:HAS_STEP]->(:Step)-[:USES]->(r:PropertyRef {root: 'Steps'})
WHERE r.target_step IS NOT NULL AND NOT r.target_step IN candidates
WITH r, reduce(found = [], names IN collect(candidates) | found + names) AS candidates
RETURN 'PropertyRef' AS kind, r.key AS key, r.pointer AS pointer,
       {expression: r.expression, target: r.target_step, candidates: candidates} AS args
