// L306 unknown-depends-on: a DependsOn entry that names no step of the pipeline.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND size(s.depends_on) > 0
UNWIND range(0, size(s.depends_on) - 1) AS i
WITH p, s, i, s.depends_on[i] AS name
WHERE NOT EXISTS { MATCH (p)-[:HAS_STEP]->(:Step {name: name}) }
OPTIONAL MATCH (p)-[:HAS_STEP]->(other:Step)
WITH s, i, name, collect(other.name) AS candidates
RETURN 'Step' AS kind, s.key AS key, s.pointer + '/DependsOn/' + toString(i) AS pointer,
       {step: s.name, name: name, candidates: candidates} AS args
