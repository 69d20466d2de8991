// L318 package-not-traceable, for Neo4j Browser: each untraceable live package and its group.
// Parameters: $registries: the `{account, region}` of each registry to check (see L318.cypher).
UNWIND $registries AS registry
MATCH path = (m:ModelPackage {account: registry.account, region: registry.region})
             -[:IN_GROUP]->(:ModelPackageGroup)
WHERE m.arn IS NOT NULL AND NOT EXISTS { (m)-[:GENERATED_BY]->(:Job|PipelineExecution) }
RETURN path
