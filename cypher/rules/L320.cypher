// L320 approved-from-failed-execution: an Approved live package GENERATED_BY a pipeline
// execution that failed or was stopped.
// Parameters: $pipelines: the scan's scope, or null for everything; for the registry rules the
// keys (ARNs) of the live packages the scan collected (see L318.cypher).
// Returns the rule row shape: kind, key, pointer, args.
MATCH (m:ModelPackage {approval_status: 'Approved'})-[:GENERATED_BY]->(e:PipelineExecution)
WHERE m.arn IS NOT NULL AND ($pipelines IS NULL OR m.key IN $pipelines)
  AND e.status IN ['Failed', 'Stopped', 'Stopping']
RETURN 'ModelPackage' AS kind, m.key AS key, '/ModelApprovalStatus' AS pointer,
       {group: m.group, version: m.version, execution: e.arn, status: e.status,
        reason: e.failure_reason} AS args
