// L305 dependency-cycle: steps that must run after each other in a cycle (RUNS_AFTER edges,
// built from DependsOn and from property references). One row per cycle group, at the group's
// first step by key.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND EXISTS { (s)-[:RUNS_AFTER]->+(s) }
CALL (p, s) {
  MATCH (p)-[:HAS_STEP]->(t:Step)
  WHERE EXISTS { (s)-[:RUNS_AFTER]->*(t) } AND EXISTS { (t)-[:RUNS_AFTER]->*(s) }
  RETURN collect(t) AS members
}
WITH s, members
WHERE all(m IN members WHERE m.key >= s.key)
UNWIND members AS m
MATCH (m)-[:RUNS_AFTER]->(n:Step)
WHERE n IN members
WITH s, members, collect([m.name, n.name]) AS edges
RETURN 'Step' AS kind, s.key AS key, s.pointer AS pointer,
       {members: [x IN members | x.name], edges: edges} AS args
