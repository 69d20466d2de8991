// L317 branch-reference, for Neo4j Browser: the Condition, its two branches down to the step
// and to the step in the other branch it references or depends on.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND EXISTS { ()-[:IF_TRUE|IF_FALSE]->(s) }
CALL (p, s) {
  MATCH (s)-[:USES]->(r:PropertyRef {root: 'Steps'})
  MATCH (p)-[:HAS_STEP]->(t:Step {name: r.target_step})
  RETURN t
  UNION
  MATCH (s)-[:DEPENDS_ON]->(t:Step)
  RETURN t
}
MATCH mine = (c:Step)-[b1:IF_TRUE|IF_FALSE]->(x1:Step)-[:IF_TRUE|IF_FALSE]->*(s),
      theirs = (c)-[b2:IF_TRUE|IF_FALSE]->(x2:Step)-[:IF_TRUE|IF_FALSE]->*(t)
WHERE type(b1) <> type(b2)
  AND (type(b1) = 'IF_TRUE' OR NOT EXISTS { (c)-[:IF_TRUE]->(x1) })
  AND (type(b2) = 'IF_TRUE' OR NOT EXISTS { (c)-[:IF_TRUE]->(x2) })
CALL (s, t, mine, theirs) {
  RETURN mine AS path
  UNION
  RETURN theirs AS path
  UNION
  MATCH path = (s)-[:DEPENDS_ON]->(t)
  RETURN path
  UNION
  MATCH path = (s)-[:USES]->(:PropertyRef {root: 'Steps', target_step: t.name})
  RETURN path
}
RETURN path
