// L311 auto-approval-without-gate: an ungated registration (as in L310) whose
// ModelApprovalStatus is 'Approved', literally or as the default of the parameter it reads.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step {step_type: 'RegisterModel'})-[:REGISTERS]->(m:ModelPackage)
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND NOT EXISTS {
    MATCH (condition:Step)-[:IF_TRUE|IF_FALSE]->+(s)
    WHERE EXISTS { (condition)-[:USES]->(:PropertyRef {output_family: 'property_files'}) }
  }
OPTIONAL MATCH (p)-[:HAS_PARAMETER]->(a:Parameter {default: 'Approved'})
WHERE m.approval_status_expression = 'Parameters.' + a.name
WITH s, m, a
WHERE m.approval_status = 'Approved' OR a IS NOT NULL
RETURN 'Step' AS kind, s.key AS key, s.pointer + '/Arguments/ModelApprovalStatus' AS pointer,
       {step: s.name,
        parameter: CASE WHEN m.approval_status = 'Approved' THEN null ELSE a.name END} AS args
