// Approval status by group: the packages of each model package group and how their status is set
// Question: per model package group, which packages do pipeline definitions register into it,
//   and which live packages does it hold (`lineage scan --registry`), with which
//   ModelApprovalStatus: a literal or live status, or an expression (usually a pipeline
//   parameter) with that parameter's default, the status a run gets unless it overrides it?
//   Packages whose group is unknown (no ModelPackageGroupName, or a value known only at run
//   time) come last.
// Parameters:
//   $group (string, default null): only this model package group (its name).
// Returns: group, pipeline, package, approval_status, approval_expression, parameter_default
//   pipeline: the pipeline whose definition registers the package, or for a live package the
//   pipeline its execution ran (null when unknown); approval_status: the literal or live
//   status, or null; approval_expression: the expression the status reads
//   (`Parameters.ModelApprovalStatus`), or null; parameter_default: the default of the
//   parameter that expression names, or null.
MATCH (pkg:ModelPackage)
OPTIONAL MATCH (pkg)-[:IN_GROUP]->(g:ModelPackageGroup)
WITH pkg, g
WHERE $group IS NULL OR g.name = $group
OPTIONAL MATCH (owner:Pipeline {key: pkg.pipeline})
OPTIONAL MATCH (owner)-[:HAS_PARAMETER]->(status:Parameter)
  WHERE pkg.approval_status_expression = 'Parameters.' + status.name
OPTIONAL MATCH (pkg)-[:GENERATED_BY]->(:PipelineExecution)-[:RUN_OF]->(ran:Pipeline)
RETURN g.name AS group, coalesce(owner.name, ran.name) AS pipeline, pkg.key AS package,
       pkg.approval_status AS approval_status,
       pkg.approval_status_expression AS approval_expression,
       status.default AS parameter_default
ORDER BY group, pipeline, package
