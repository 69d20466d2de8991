// L318 package-not-traceable: a live model package (one with an `arn`) GENERATED_BY no known
// training job and no known pipeline execution.
// Parameters: $pipelines: the scan's scope, or null for everything. For the registry rules it
// holds the keys (ARNs) of the live packages the scan collected (lineage.rules.l3_live_registry.
// scan_scope), so that packages other scans loaded into the same database are left out.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (m:ModelPackage)
WHERE m.arn IS NOT NULL AND ($pipelines IS NULL OR m.key IN $pipelines)
  AND NOT EXISTS { (m)-[:GENERATED_BY]->(:Job|PipelineExecution) }
RETURN 'ModelPackage' AS kind, m.key AS key, '/InferenceSpecification/Containers' AS pointer,
       {group: m.group, version: m.version, model_data: coalesce(m.model_data_urls, []),
        generated_by: m.generated_by} AS args
