// L310 ungated-registration: a RegisterModel step that no enclosing Condition (at any depth)
// gates on an evaluation metric, i.e. on a property file (Std:JsonGet).
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step {step_type: 'RegisterModel'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND NOT EXISTS {
    MATCH (condition:Step)-[:IF_TRUE|IF_FALSE]->+(s)
    WHERE EXISTS { (condition)-[:USES]->(:PropertyRef {output_family: 'property_files'}) }
  }
RETURN 'Step' AS kind, s.key AS key, s.pointer AS pointer, {step: s.name} AS args
