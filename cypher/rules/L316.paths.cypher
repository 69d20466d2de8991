// L316 framework-mismatch, for Neo4j Browser: each mismatched container's image, its model and
// the chain back to the step that trained it, with that step's images.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND s.step_type IN ['Model', 'RegisterModel']
MATCH (s)-[u:USES {input_kind: 'model'}]->(:PropertyRef)
      -[:RESOLVES_TO]->(model:Artifact {artifact_kind: 'model'})
CALL (s, u) {
  MATCH (s)-[i:CONSUMES {input_kind: 'image', entry: u.entry}]->(image:Artifact)
  RETURN i, image ORDER BY image.key DESC, i.arg DESC LIMIT 1
}
WITH s, u, model, i, image WHERE image.framework IS NOT NULL
MATCH lineage = (model)
      ((:Artifact)<-[:PRODUCES]-(:Step)-[:CONSUMES]->(:Artifact {artifact_kind: 'model'}))*
      (:Artifact)<-[:PRODUCES]-(origin:Step)-[:CONSUMES {input_kind: 'image'}]->(trained:Artifact)
WHERE NOT EXISTS { (origin)-[:CONSUMES]->(:Artifact {artifact_kind: 'model'})<-[:PRODUCES]-() }
  AND trained.framework IS NOT NULL
WITH s, u, i, image, collect(lineage) AS lineages, collect(trained.framework) AS frameworks
WHERE NOT image.framework IN frameworks
CALL (s, u, i, lineages) {
  MATCH path = (s)-[i]->()
  RETURN path
  UNION
  MATCH path = (s)-[u]->(:PropertyRef)-[:RESOLVES_TO]->()
  RETURN path
  UNION
  UNWIND lineages AS path
  RETURN path
}
RETURN path
