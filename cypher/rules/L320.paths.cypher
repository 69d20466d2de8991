// L320 approved-from-failed-execution, for Neo4j Browser: each approved package, the execution
// that did not succeed, and the pipeline it ran.
// Parameters: $registries: the `{account, region}` of each registry to check (see L318.cypher).
UNWIND $registries AS registry
MATCH path = (m:ModelPackage {account: registry.account, region: registry.region})
             -[:GENERATED_BY]->(e:PipelineExecution)
WHERE m.arn IS NOT NULL AND m.approval_status = 'Approved'
  AND e.status IN ['Failed', 'Stopped', 'Stopping']
OPTIONAL MATCH run = (e)-[:RUN_OF]->(:Pipeline)
RETURN path, run
