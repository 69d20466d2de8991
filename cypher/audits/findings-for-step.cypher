// Findings for a step: every finding about one step and the references and package it owns
// Question: what is wrong with step $step of pipeline $pipeline, at every level, with the rule,
//   the message and where in the definition (JSON pointer and line) it is?
// Parameters:
//   $pipeline (string, required): the pipeline's name.
//   $step (string, required): the step's name.
// Returns: code, rule, severity, message, node, pointer, line
//   node: the key of the node the finding is about (the step, one of its property references,
//   its model package). In definition order (line, pointer), then by code. Findings are found
//   through their indexed `pipeline_key`, which the loader writes as 'pipeline:<name>'.
MATCH (f:Finding {pipeline_key: 'pipeline:' + $pipeline})
WHERE f.step = $step
RETURN f.code AS code, f.name AS rule, f.severity AS severity, f.message AS message,
       f.node AS node, f.pointer AS pointer, f.line AS line
ORDER BY line, pointer, code
