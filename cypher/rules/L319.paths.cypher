// L319 definition-registry-drift, for Neo4j Browser: each live package registered by a pipeline
// execution, with the execution, the pipeline, and the current definition's registering step
// and the package it declares, so that the two can be compared side by side.
// Parameters: $registries: the `{account, region}` of each registry to check (see L318.cypher).
UNWIND $registries AS registry
MATCH run = (m:ModelPackage {account: registry.account, region: registry.region})
            -[:GENERATED_BY]->(:PipelineExecution)-[:RUN_OF]->(:Pipeline)
WHERE m.arn IS NOT NULL AND m.execution_step IS NOT NULL
OPTIONAL MATCH step = (m)-[:GENERATED_BY]->(:Step)-[:REGISTERS]->(:ModelPackage)
OPTIONAL MATCH trained = (m)-[:GENERATED_BY]->(:Job)-[:RUN_OF]->(:Step)
RETURN run, step, trained
