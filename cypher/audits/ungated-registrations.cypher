// Ungated registrations: RegisterModel steps that no Condition on an evaluation metric guards
// Question: which RegisterModel steps register a model in every run, however bad it is, because
//   no Condition step around them (through IF_TRUE/IF_FALSE chains, at any nesting depth) reads
//   an evaluation metric, that is a property file through Std:JsonGet (a PropertyRef with a
//   json_path)? Rule L310 reports the same registrations as findings.
// Parameters:
//   $pipeline (string, default null): only this pipeline (its name).
// Returns: pipeline, step, package, approval, conditions
//   approval: the package's ModelApprovalStatus, or the expression it reads; conditions: the
//   names of the Conditions around the step that test no metric (parameters, constants).
MATCH (p:Pipeline)-[:HAS_STEP]->(reg:Step {step_type: 'RegisterModel'})
WHERE ($pipeline IS NULL OR p.name = $pipeline)
  AND NOT EXISTS {
    MATCH (c:Step {step_type: 'Condition'})-[:IF_TRUE|IF_FALSE]->+(reg)
    WHERE EXISTS { (c)-[:USES]->(ref:PropertyRef) WHERE ref.json_path IS NOT NULL }
  }
OPTIONAL MATCH (reg)-[:REGISTERS]->(pkg:ModelPackage)
RETURN p.name AS pipeline, reg.name AS step, pkg.key AS package,
       coalesce(pkg.approval_status, pkg.approval_status_expression) AS approval,
       COLLECT {
         MATCH (c:Step)-[:IF_TRUE|IF_FALSE]->+(reg)
         RETURN c.name ORDER BY c.name
       } AS conditions
ORDER BY pipeline, step
