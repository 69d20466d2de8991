// L311 auto-approval-without-gate, for Neo4j Browser: each ungated registration approved by
// default, with its model package and, when the status reads one, the parameter.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step {step_type: 'RegisterModel'})-[:REGISTERS]->(m:ModelPackage)
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND NOT EXISTS {
    MATCH (condition:Step)-[:IF_TRUE|IF_FALSE]->+(s)
    WHERE EXISTS { (condition)-[:USES]->(:PropertyRef {output_family: 'property_files'}) }
  }
OPTIONAL MATCH (p)-[:HAS_PARAMETER]->(a:Parameter {default: 'Approved'})
WHERE m.approval_status_expression = 'Parameters.' + a.name
WITH p, s, m, a
WHERE m.approval_status = 'Approved' OR a IS NOT NULL
CALL (p, s, m, a) {
  MATCH path = (p)-[:HAS_STEP]->(s)-[:REGISTERS]->(m)
  RETURN path
  UNION
  MATCH path = (p)-[:HAS_PARAMETER]->(a)
  RETURN path
}
RETURN path
