// L316 framework-mismatch: a Model or RegisterModel container whose image's framework (the
// `framework` the collector reads from the ECR repository name) is none of the frameworks of
// the images that trained its model; a model made by a step that reads another trained model
// (an SDK repack) is traced back to the step that trained that one.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND s.step_type IN ['Model', 'RegisterModel']
// The container's model data: a reference to a trained model artifact.
MATCH (s)-[u:USES {input_kind: 'model'}]->(:PropertyRef)
      -[:RESOLVES_TO]->(model:Artifact {artifact_kind: 'model'})
// The container's image (the last of its image values by artifact key, then pointer).
CALL (s, u) {
  MATCH (s)-[i:CONSUMES {input_kind: 'image', entry: u.entry}]->(image:Artifact)
  RETURN i, image ORDER BY image.key DESC, i.arg DESC LIMIT 1
}
WITH s, u, model, i, image WHERE image.framework IS NOT NULL
// The steps that trained the model: its producer, or through producers that read another
// produced model, the first that reads none; their images with a known framework, in order.
CALL (model) {
  MATCH (model)
        ((:Artifact)<-[:PRODUCES]-(:Step)-[:CONSUMES]->(:Artifact {artifact_kind: 'model'}))*
        (:Artifact)<-[:PRODUCES]-(origin:Step)
  WHERE NOT EXISTS { (origin)-[:CONSUMES]->(:Artifact {artifact_kind: 'model'})<-[:PRODUCES]-() }
  WITH DISTINCT origin
  MATCH (origin)-[t:CONSUMES {input_kind: 'image'}]->(trained:Artifact)
  WHERE trained.framework IS NOT NULL
  WITH origin, t, trained ORDER BY origin.key, trained.key, t.arg
  RETURN collect({origin: origin.name, image: trained.uri, framework: trained.framework}) AS used
}
WITH s, u, i, image, used
WHERE size(used) > 0 AND none(x IN used WHERE x.framework = image.framework)
// One row per image: for the first model value by pointer.
WITH s, i, image, used ORDER BY u.arg
WITH s, i, image, collect(used[0])[0] AS first
RETURN 'Step' AS kind, s.key AS key, i.arg AS pointer,
       {step_type: s.step_type, step: s.name, origin: first.origin,
        serving_image: image.uri, training_image: first.image} AS args
