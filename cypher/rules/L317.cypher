// L317 branch-reference: a step in one branch of a Condition that references (Steps.<name>) or
// depends on (DependsOn) a step in the other branch of the same Condition, at any depth.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND EXISTS { ()-[:IF_TRUE|IF_FALSE]->(s) }
// The steps it names: by a Steps.<name> reference, or in DependsOn.
CALL (p, s) {
  MATCH (s)-[:USES]->(r:PropertyRef {root: 'Steps'})
  MATCH (p)-[:HAS_STEP]->(t:Step {name: r.target_step})
  RETURN r.pointer AS pointer, t
  UNION
  MATCH (s)-[d:DEPENDS_ON]->(t:Step)
  RETURN s.pointer + '/DependsOn/' + d.arg AS pointer, t
}
// A Condition around both, with each in a different branch. A step listed in both branches of
// its Condition counts as in IfSteps.
MATCH (c:Step)-[b1:IF_TRUE|IF_FALSE]->(x1:Step)-[:IF_TRUE|IF_FALSE]->*(s),
      (c)-[b2:IF_TRUE|IF_FALSE]->(x2:Step)-[:IF_TRUE|IF_FALSE]->*(t)
WHERE type(b1) <> type(b2)
  AND (type(b1) = 'IF_TRUE' OR NOT EXISTS { (c)-[:IF_TRUE]->(x1) })
  AND (type(b2) = 'IF_TRUE' OR NOT EXISTS { (c)-[:IF_TRUE]->(x2) })
WITH DISTINCT s, pointer, t, c, type(b1) AS branch, type(b2) AS target_branch
RETURN 'Step' AS kind, s.key AS key, pointer,
       {step: s.name,
        branch: CASE branch WHEN 'IF_TRUE' THEN 'IfSteps' ELSE 'ElseSteps' END,
        condition: c.name, target: t.name,
        target_branch: CASE target_branch WHEN 'IF_TRUE' THEN 'IfSteps' ELSE 'ElseSteps' END
       } AS args
