// L319 definition-registry-drift, for Neo4j Browser: each live package registered by a pipeline
// execution, with the execution, the pipeline, and the current definition's registering step
// and the package it declares, so that the two can be compared side by side.
// Parameters: $pipelines: live package keys in scope (see L318.cypher), or null for every one.
MATCH run = (m:ModelPackage)-[:GENERATED_BY]->(:PipelineExecution)-[:RUN_OF]->(:Pipeline)
WHERE m.arn IS NOT NULL AND ($pipelines IS NULL OR m.key IN $pipelines)
  AND m.execution_step IS NOT NULL
OPTIONAL MATCH step = (m)-[:GENERATED_BY]->(:Step)-[:REGISTERS]->(:ModelPackage)
OPTIONAL MATCH trained = (m)-[:GENERATED_BY]->(:Job)-[:RUN_OF]->(:Step)
RETURN run, step, trained
