// L318 package-not-traceable: the checked population (live model packages).
// Parameters: $pipelines: live package keys in scope (see L318.cypher), or null for every one.
MATCH (m:ModelPackage)
WHERE m.arn IS NOT NULL AND ($pipelines IS NULL OR m.key IN $pipelines)
RETURN count(m) AS checked
