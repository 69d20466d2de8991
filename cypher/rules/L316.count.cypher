// L316 framework-mismatch: the checked population (containers of Model and RegisterModel steps
// serving a trained model with an image of a known framework) for "N of M".
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)-[i:CONSUMES {input_kind: 'image'}]->(image:Artifact)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND s.step_type IN ['Model', 'RegisterModel']
  AND image.framework IS NOT NULL
  AND EXISTS {
    (s)-[:USES {input_kind: 'model', entry: i.entry}]->(:PropertyRef)
    -[:RESOLVES_TO]->(:Artifact {artifact_kind: 'model'})
  }
RETURN count(DISTINCT i) AS checked
