// L318 package-not-traceable: a live model package (one with an `arn`) GENERATED_BY no known
// training job and no known pipeline execution.
// Parameters: $registries: the `{account, region}` of each registry to check (the backend's:
// those the scan read its live packages from); every live package in them is checked (an index
// seek), and the backend keeps the rows about packages of its own scan.
// Returns the rule row shape: kind, key, pointer, args.
UNWIND $registries AS registry
MATCH (m:ModelPackage {account: registry.account, region: registry.region})
WHERE m.arn IS NOT NULL AND NOT EXISTS { (m)-[:GENERATED_BY]->(:Job|PipelineExecution) }
RETURN 'ModelPackage' AS kind, m.key AS key, '/InferenceSpecification/Containers' AS pointer,
       {group: m.group, version: m.version, model_data: coalesce(m.model_data_urls, []),
        generated_by: m.generated_by} AS args
