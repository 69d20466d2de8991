// L320 approved-from-failed-execution: the checked population (Approved live packages that a
// pipeline execution registered).
// Parameters: $pipelines: live package keys in scope (see L318.cypher), or null for every one.
MATCH (m:ModelPackage {approval_status: 'Approved'})
WHERE m.arn IS NOT NULL AND ($pipelines IS NULL OR m.key IN $pipelines)
  AND EXISTS { (m)-[:GENERATED_BY]->(:PipelineExecution) }
RETURN count(m) AS checked
