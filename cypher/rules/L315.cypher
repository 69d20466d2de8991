// L315 redundant-depends-on: a DependsOn entry naming a step that the step already reads data
// from by a Steps.<name> reference (so it waits for that step anyway).
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)-[d:DEPENDS_ON]->(t:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
// The first such reference, by key.
CALL (s, t) {
  MATCH (s)-[:USES]->(r:PropertyRef {root: 'Steps', target_step: t.name})
  RETURN r ORDER BY r.key LIMIT 1
}
RETURN 'Step' AS kind, s.key AS key, s.pointer + '/DependsOn/' + d.arg AS pointer,
       {step: s.name, target: t.name, expression: r.expression} AS args
