// Live package lineage: each registry model package and the execution, jobs and data it traces to
// Question: for every model package read from the live Model Registry (`lineage scan --registry`,
//   packages with an `arn`), which group, version and approval status does it have, which
//   pipeline execution GENERATED it and how did that execution end, which RegisterModel step of
//   the pipeline's current definition registered it, which jobs GENERATED it, and which datasets
//   did those jobs CONSUME? An approved package with no execution and no job traces back to
//   nothing (rule L318 reports it).
// Parameters:
//   $group (string, default null): only packages of this model package group (its name).
//   $approval_status (string, default null): only packages with this status, e.g. 'Approved'.
// Returns: group, version, package, approval_status, execution, execution_status, step, jobs, datasets
//   package: the package's ARN; execution: the name of the pipeline execution, or null; step: the
//   key of the RegisterModel step, or null (audit model-lineage-path with package
//   '<step>/package' draws the definition's lineage); jobs: the names of the jobs, sorted;
//   datasets: the URIs those jobs read, sorted.
MATCH (pkg:ModelPackage)
WHERE pkg.arn IS NOT NULL AND ($group IS NULL OR pkg.group = $group)
  AND ($approval_status IS NULL OR pkg.approval_status = $approval_status)
OPTIONAL MATCH (pkg)-[:GENERATED_BY]->(execution:PipelineExecution)
OPTIONAL MATCH (pkg)-[:GENERATED_BY]->(step:Step)
RETURN pkg.group AS group, pkg.version AS version, pkg.key AS package,
       pkg.approval_status AS approval_status, execution.name AS execution,
       execution.status AS execution_status, step.key AS step,
       COLLECT {
         MATCH (pkg)-[:GENERATED_BY]->(job:Job)
         RETURN job.name AS name ORDER BY name
       } AS jobs,
       COLLECT {
         MATCH (pkg)-[:GENERATED_BY]->(:Job)-[:CONSUMES]->(data:Artifact)
         RETURN DISTINCT data.uri AS uri ORDER BY uri
       } AS datasets
ORDER BY group, version, package
