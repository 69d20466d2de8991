// L328 condition-reads-own-branch: a Condition step that reads a property of a step inside its
// own IfSteps or ElseSteps (at any depth), which only runs after the condition is decided.
// One row per Condition and step read, at the first operand that reads it.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(c:Step {step_type: 'Condition'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
MATCH (c)-[u:USES]->(r:PropertyRef {root: 'Steps'})
MATCH (c)-[b:IF_TRUE|IF_FALSE]->(:Step)-[:IF_TRUE|IF_FALSE]->*(t:Step {name: r.target_step})
WITH c, t, type(b) AS branch, min(u.arg) AS pointer
RETURN 'Step' AS kind, c.key AS key, pointer,
       {step: c.name, target: t.name,
        branch: CASE branch WHEN 'IF_TRUE' THEN 'IfSteps' ELSE 'ElseSteps' END} AS args
