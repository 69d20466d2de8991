// Dangling references: property references that resolve to nothing
// Question: which {"Get": ...} expressions (and Std:JsonGet property files) in step arguments
//   name a step, a declared output or a parameter the pipeline does not have, or cannot be read
//   at all? Such a reference has no RESOLVES_TO relationship; SageMaker rejects the definition or
//   the step fails at run time. Rules L301, L303 and L304 report the same references.
// Parameters:
//   $pipeline (string, default null): only this pipeline (its name).
// Returns: pipeline, step, expression, pointer, reason
//   pointer: the JSON pointer of the expression in the definition; reason: what is missing.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)-[:USES]->(ref:PropertyRef)
WHERE ($pipeline IS NULL OR p.name = $pipeline) AND NOT EXISTS { (ref)-[:RESOLVES_TO]->() }
RETURN p.name AS pipeline, s.name AS step, ref.expression AS expression, ref.pointer AS pointer,
       CASE
         WHEN ref.target_parameter IS NOT NULL THEN 'no parameter ' + ref.target_parameter
         WHEN ref.target_step IS NULL THEN coalesce(ref.path_error, 'unreadable reference')
         WHEN NOT EXISTS { (p)-[:HAS_STEP]->(:Step {name: ref.target_step}) }
           THEN 'no step ' + ref.target_step
         ELSE 'step ' + ref.target_step + ' declares no ' + ref.output_family
              + coalesce(' ' + ref.output_name, ' at that index')
       END AS reason
ORDER BY pipeline, step, pointer
