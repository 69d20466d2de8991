// L319 definition-registry-drift: the checked population (live packages a pipeline execution
// registered, from a step the execution names).
// Parameters: $pipelines: live package keys in scope (see L318.cypher), or null for every one.
MATCH (m:ModelPackage)-[:GENERATED_BY]->(:PipelineExecution)-[:RUN_OF]->(:Pipeline)
WHERE m.arn IS NOT NULL AND ($pipelines IS NULL OR m.key IN $pipelines)
  AND m.execution_step IS NOT NULL
RETURN count(DISTINCT m) AS checked
