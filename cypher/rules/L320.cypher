// L320 approved-from-failed-execution: an Approved live package GENERATED_BY a pipeline
// execution that failed or was stopped.
// Parameters: $registries: the `{account, region}` of each registry to check (see L318.cypher).
// Returns the rule row shape: kind, key, pointer, args.
UNWIND $registries AS registry
MATCH (m:ModelPackage {account: registry.account, region: registry.region})
      -[:GENERATED_BY]->(e:PipelineExecution)
WHERE m.arn IS NOT NULL AND m.approval_status = 'Approved'
  AND e.status IN ['Failed', 'Stopped', 'Stopping']
RETURN 'ModelPackage' AS kind, m.key AS key, '/ModelApprovalStatus' AS pointer,
       {group: m.group, version: m.version, execution: e.arn, status: e.status,
        reason: e.failure_reason} AS args
