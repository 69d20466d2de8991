// Findings by level and pipeline: how many findings each pipeline has, per level and severity
// Question: where do the findings of the loaded scans concentrate: per pipeline, per level (1 step
//   configuration, 2 registry and container configuration, 3 lineage and dependencies, 4 package
//   creation and approval) and per severity, and which rules raised them?
// Parameters:
//   $pipeline (string, default null): only this pipeline (its name).
// Returns: pipeline, level, severity, findings, codes
//   findings: how many; codes: the rule codes among them, sorted. By pipeline, level, then
//   severity from error to info.
MATCH (f:Finding)
WHERE $pipeline IS NULL OR f.pipeline = $pipeline
WITH f.pipeline AS pipeline, f.level AS level, f.severity AS severity, f.code AS code,
     count(*) AS n
ORDER BY code
RETURN pipeline, level, severity, sum(n) AS findings, collect(code) AS codes
ORDER BY pipeline, level, CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END
