// L320 approved-from-failed-execution, for Neo4j Browser: each approved package, the execution
// that did not succeed, and the pipeline it ran.
// Parameters: $pipelines: live package keys in scope (see L318.cypher), or null for every one.
MATCH path = (m:ModelPackage {approval_status: 'Approved'})-[:GENERATED_BY]->(e:PipelineExecution)
WHERE m.arn IS NOT NULL AND ($pipelines IS NULL OR m.key IN $pipelines)
  AND e.status IN ['Failed', 'Stopped', 'Stopping']
OPTIONAL MATCH run = (e)-[:RUN_OF]->(:Pipeline)
RETURN path, run
