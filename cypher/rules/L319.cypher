// L319 definition-registry-drift: a live package registered by step S of a pipeline execution,
// where the current definition of S registers another group, image or model source, or the
// definition has no RegisterModel step S any more. Compared: literal group names, literal
// images and model data URIs per container, and `Steps.T.…` model data references against the
// step of the execution whose job wrote the package's model. Parameters and expressions are not
// compared (a run may override them).
// Parameters: $registries: the `{account, region}` of each registry to check (see L318.cypher).
// Returns the rule row shape: kind, key, pointer, args (drifts: [field, container, registered,
// defined], in any order; the message sorts them). The packages registered by an execution step
// are sought in the index model_package_registered and grouped by the step that registered
// them; what a step defines is read once, then each kind of drift is one pass over its
// packages, which yields the drifted ones only (a job's model source is read only where a job
// ran another step than the one the definition takes the model from); the pipeline is looked
// up for the packages that drifted.
UNWIND $registries AS registry
MATCH (m:ModelPackage {account: registry.account, region: registry.region})
WHERE m.execution_step IS NOT NULL AND m.arn IS NOT NULL
OPTIONAL MATCH (m)-[:GENERATED_BY]->(s:Step)
WITH s, collect(m) AS packages
CALL (s) {
  OPTIONAL MATCH (s)-[:REGISTERS]->(d:ModelPackage)
  WHERE d.group IS NOT NULL
    AND NOT EXISTS {
      MATCH (s)-[u:USES]->()
      WHERE u.arg STARTS WITH s.pointer + '/Arguments/ModelPackageGroupName'
    }
  WITH collect(DISTINCT d.group) AS groups
  OPTIONAL MATCH (s)-[c:CONSUMES {literal: true}]->(a:Artifact)
  WHERE c.input_kind IN ['image', 'model']
  WITH groups, collect(CASE WHEN c IS NOT NULL THEN
    {kind: c.input_kind, i: toInteger(split(c.arg, '/')[-2]), uri: a.uri} END) AS literals
  OPTIONAL MATCH (s)-[u:USES {input_kind: 'model'}]->(r:PropertyRef {root: 'Steps'})
  WHERE u.arg ENDS WITH '/ModelDataUrl'
  RETURN groups, literals, collect(CASE WHEN r IS NOT NULL THEN
    {i: toInteger(split(u.arg, '/')[-2]), target: r.target_step} END) AS refs
}
CALL (s, packages, groups, literals, refs) {
  WITH s, packages WHERE s IS NULL
  UNWIND packages AS m
  RETURN m, ['step', -1, m.execution_step, null] AS drift
  UNION ALL
  UNWIND groups AS g
  UNWIND packages AS m
  WITH m, g WHERE m.group <> g
  RETURN m, ['group', -1, m.group, g] AS drift
  UNION ALL
  UNWIND literals AS l
  UNWIND packages AS m
  WITH m, l,
       CASE l.kind WHEN 'image' THEN m.images[l.i] ELSE m.model_data_urls[l.i] END AS registered
  WHERE coalesce(registered, '') <> l.uri
  RETURN m, [CASE l.kind WHEN 'image' THEN 'image' ELSE 'model_uri' END, l.i, registered, l.uri]
         AS drift
  UNION ALL
  WITH packages, refs WHERE refs <> []
  UNWIND packages AS m
  MATCH (m)-[:GENERATED_BY]->(j:Job)
  WHERE j.step_name IS NOT NULL AND any(ref IN refs WHERE j.step_name <> ref.target)
  UNWIND refs AS ref
  WITH m, j, ref
  WHERE j.step_name <> ref.target AND j.model_artifact = m.model_data_urls[ref.i]
  RETURN m, ['model_step', ref.i, j.step_name, ref.target] AS drift
}
MATCH (m)-[:GENERATED_BY]->(:PipelineExecution)-[:RUN_OF]->(p:Pipeline)
WITH m, p, collect(DISTINCT drift) AS drifts
RETURN 'ModelPackage' AS kind, m.key AS key, '/InferenceSpecification' AS pointer,
       {group: m.group, version: m.version, step: m.execution_step, pipeline: p.pipeline_name,
        drifts: drifts} AS args
