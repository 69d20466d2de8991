// L328 condition-reads-own-branch, for Neo4j Browser: each Condition with the property it
// reads and the branch path down to the step that property belongs to.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(c:Step {step_type: 'Condition'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
MATCH (c)-[:USES]->(r:PropertyRef {root: 'Steps'})
MATCH branch = (c)-[:IF_TRUE|IF_FALSE]->+(t:Step {name: r.target_step})
MATCH read = (c)-[:USES]->(r)
RETURN read AS path
UNION
MATCH (p:Pipeline)-[:HAS_STEP]->(c:Step {step_type: 'Condition'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
MATCH (c)-[:USES]->(r:PropertyRef {root: 'Steps'})
MATCH branch = (c)-[:IF_TRUE|IF_FALSE]->+(t:Step {name: r.target_step})
RETURN branch AS path
