// L305 dependency-cycle: steps that must run after each other in a cycle (RUNS_AFTER edges,
// built from DependsOn and from property references). One row per cycle group, at its first
// DependsOn entry inside the group (the likeliest mistake), or at its first step by key.
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
// At the first DependsOn entry inside the group (by step key, then entry), else its first step.
CALL (members) {
  UNWIND members AS m
  MATCH (m)-[d:DEPENDS_ON]->(n:Step)
  WHERE n IN members
  RETURN m AS holder, m.pointer + '/DependsOn/' + toString(d.arg) AS entry
  ORDER BY m.key, d.arg
  LIMIT 1
}
WITH s, members, edges, collect([holder, entry])[0] AS found
RETURN 'Step' AS kind, coalesce(found[0].key, s.key) AS key,
       coalesce(found[1], s.pointer) AS pointer,
       {members: [x IN members | x.name], edges: edges} AS args
