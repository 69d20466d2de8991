// Steps without role or image: steps that run a job but name no execution role or no image
// Question: which steps would fail at creation because they lack an execution role (rule L101)
//   or a container image (rule L102)? Read from the findings the scan loaded, so the answer is as
//   complete as that scan's rule selection.
// Parameters:
//   $pipeline (string, default null): only this pipeline (its name).
// Returns: pipeline, step, step_type, missing, codes
//   missing: 'role' and/or 'image'; codes: the rule codes of those findings.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)<-[:ABOUT]-(f:Finding)
WHERE f.code IN ['L101', 'L102'] AND ($pipeline IS NULL OR p.name = $pipeline)
WITH p, s, f.code AS code
ORDER BY code
WITH p, s, collect(DISTINCT code) AS codes
RETURN p.name AS pipeline, s.name AS step, s.step_type AS step_type,
       [code IN codes | CASE code WHEN 'L101' THEN 'role' ELSE 'image' END] AS missing, codes
ORDER BY pipeline, step
