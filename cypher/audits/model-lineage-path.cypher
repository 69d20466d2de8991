// Model lineage path: the paths from one model package back to what its model was trained from
// Question: how does a registered model package trace back, through the step that trained its
//   model and the steps that step read data from, to the datasets, code and images they
//   consumed? Meant for Neo4j Browser, whose graph view draws one path per input:
//   package <-REGISTERS- step -CONSUMES-> model <-PRODUCES- trainer -RUNS_AFTER-> ... -CONSUMES->
//   input. No rows: the package's model has no producer in the graph (a literal URI or a
//   parameter), so there is no lineage to draw.
// Parameters:
//   $package (string, required): the ModelPackage key, e.g. 'abalone/Register/package'.
//   $kinds (list of string, default null): only inputs of these artifact kinds; null for all.
// Returns: kind, input, path
//   kind: the input's artifact kind (dataset, code, image, model, output_parameter); input: its
//   URI (its key when the URI is only known at run time); path: the path from the package to
//   it. One row per input, by kind and input.
MATCH path = ANY SHORTEST (:ModelPackage {key: $package})<-[:REGISTERS]-(:Step)
      -[:CONSUMES {input_kind: 'model'}]->(:Artifact)<-[:PRODUCES]-(:Step)
      (()-[r:RUNS_AFTER]->() WHERE 'data' IN r.via)* (:Step)-[:CONSUMES]->(input:Artifact)
WHERE $kinds IS NULL OR input.artifact_kind IN $kinds
RETURN input.artifact_kind AS kind, coalesce(input.uri, input.key) AS input, path
ORDER BY kind, input
