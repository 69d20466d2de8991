// Registered model datasets: every registered model package and what its model was trained from
// Question: for each model package a RegisterModel step registers, which model artifact does it
//   register, which step produced that artifact, and which datasets, code and images went into
//   it? Lineage runs upstream from the model's producer through the steps it reads data from
//   (RUNS_AFTER edges with 'data' in `via`: the step-to-step form of a step's
//   USES -> PropertyRef -> RESOLVES_TO references) and collects what those steps CONSUME. A model
//   read from a literal URI or a parameter has no producer, so its lists stay empty: no lineage.
// Parameters:
//   $pipeline (string, default null): only packages of this pipeline (its name).
//   $group (string, default null): only packages registered in this model package group.
// Returns: pipeline, package, group, model, trained_by, datasets, code, images
//   One row per package and registered model artifact (a package with several containers has
//   several rows). model: the artifact's key; trained_by: the name of the step that produced it;
//   datasets: every other input of the lineage (datasets, step outputs, models a repack step
//   read), code, images: URIs (an output whose URI is only known at run time: its key), sorted.
MATCH (p:Pipeline)-[:HAS_STEP]->(reg:Step {step_type: 'RegisterModel'})
      -[:REGISTERS]->(pkg:ModelPackage)
WHERE ($pipeline IS NULL OR p.name = $pipeline) AND ($group IS NULL OR pkg.group = $group)
OPTIONAL MATCH (reg)-[:CONSUMES {input_kind: 'model'}]->(model:Artifact)
OPTIONAL MATCH (model)<-[:PRODUCES]-(trainer:Step)
CALL (trainer) {
  OPTIONAL MATCH ANY SHORTEST (trainer) (()-[r:RUNS_AFTER]->() WHERE 'data' IN r.via)* (up:Step)
  OPTIONAL MATCH (up)-[:CONSUMES]->(input:Artifact)
  WITH input ORDER BY coalesce(input.uri, input.key)
  RETURN collect(DISTINCT input) AS inputs
}
RETURN p.name AS pipeline, pkg.key AS package, pkg.group AS group, model.key AS model,
       trainer.name AS trained_by,
       [a IN inputs WHERE NOT a.artifact_kind IN ['code', 'image'] | coalesce(a.uri, a.key)]
         AS datasets,
       [a IN inputs WHERE a.artifact_kind = 'code' | coalesce(a.uri, a.key)] AS code,
       [a IN inputs WHERE a.artifact_kind = 'image' | coalesce(a.uri, a.key)] AS images
ORDER BY pipeline, package, model
