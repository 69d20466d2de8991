// L318 package-not-traceable, for Neo4j Browser: each untraceable live package and its group.
// Parameters: $pipelines: live package keys in scope (see L318.cypher), or null for every one.
MATCH path = (m:ModelPackage)-[:IN_GROUP]->(:ModelPackageGroup)
WHERE m.arn IS NOT NULL AND ($pipelines IS NULL OR m.key IN $pipelines)
  AND NOT EXISTS { (m)-[:GENERATED_BY]->(:Job|PipelineExecution) }
RETURN path
