// Downstream of an S3 prefix: the steps, jobs, artifacts and packages the data under it reaches
// Question: if the data under an S3 prefix is bad, what does it affect? Starts at every artifact
//   whose URI starts with $prefix, takes the steps that CONSUME one, then every step that reads
//   data from those, transitively (RUNS_AFTER edges with 'data' in `via`, followed backwards),
//   what all of them PRODUCE and the model packages they REGISTER; and from the live registry,
//   the jobs that CONSUME one, what they PRODUCE and the packages GENERATED_BY them. Not
//   followed: a step that reads another step's output by a literal URI; run the audit again
//   with that output's URI. Artifacts have no index on `uri`: the start scans the Artifact label.
// Parameters:
//   $prefix (string, required): the start of the URIs, e.g. 's3://bucket/datasets/abalone/'.
// Returns: kind, pipeline, node, detail, reached_from
//   kind: Artifact, Job, ModelPackage or Step; pipeline: the name of the pipeline the node
//   belongs to (null for input artifacts, which pipelines share, and for registry nodes); node:
//   its key; detail: the artifact kind, the package's group, the step type or the job type;
//   reached_from: the URIs under $prefix it is downstream of, sorted.
MATCH (seed:Artifact)
WHERE seed.uri STARTS WITH $prefix
OPTIONAL MATCH (seed)<-[:CONSUMES]-(reader:Step)
OPTIONAL MATCH ANY SHORTEST (reader) (()<-[r:RUNS_AFTER]-() WHERE 'data' IN r.via)* (step:Step)
WITH seed, collect(DISTINCT step) AS steps
CALL (seed, steps) {
  RETURN seed AS node
  UNION
  UNWIND steps AS node
  RETURN node
  UNION
  UNWIND steps AS step
  MATCH (step)-[:PRODUCES|REGISTERS]->(node)
  RETURN node
  UNION
  MATCH (seed)<-[:CONSUMES]-(job:Job)
  UNWIND [job]
         + COLLECT { MATCH (job)-[:PRODUCES]->(output) RETURN output }
         + COLLECT { MATCH (job)<-[:GENERATED_BY]-(package:ModelPackage) RETURN package } AS node
  RETURN node
}
WITH node, seed ORDER BY seed.uri
WITH node, collect(DISTINCT seed.uri) AS reached_from
OPTIONAL MATCH (owner:Pipeline {key: node.pipeline})
WHERE NOT (node:Artifact AND node.producer IS NULL)
RETURN [l IN labels(node) WHERE l IN ['Artifact', 'Job', 'ModelPackage', 'Step']][0] AS kind,
       owner.name AS pipeline, node.key AS node,
       coalesce(node.artifact_kind, node.group, node.step_type, node.job_type) AS detail,
       reached_from
ORDER BY kind, pipeline, node
