// L319 definition-registry-drift: a live package registered by step S of a pipeline execution,
// where the current definition of S registers another group, image or model source, or the
// definition has no RegisterModel step S any more. Compared: literal group names, literal
// images and model data URIs per container, and `Steps.T.…` model data references against the
// step of the execution whose job wrote the package's model. Parameters and expressions are not
// compared (a run may override them).
// Parameters: $pipelines: the scan's scope, or null for everything; for the registry rules the
// keys (ARNs) of the live packages the scan collected (see L318.cypher).
// Returns the rule row shape: kind, key, pointer, args (drifts: [field, container, registered,
// defined], in any order; the message sorts them).
MATCH (m:ModelPackage)-[:GENERATED_BY]->(:PipelineExecution)-[:RUN_OF]->(p:Pipeline)
WHERE m.arn IS NOT NULL AND ($pipelines IS NULL OR m.key IN $pipelines)
  AND m.execution_step IS NOT NULL
CALL (m) {
  WITH m
  WHERE NOT EXISTS { (m)-[:GENERATED_BY]->(:Step) }
  RETURN ['step', -1, m.execution_step, null] AS drift
  UNION
  MATCH (m)-[:GENERATED_BY]->(s:Step)-[:REGISTERS]->(d:ModelPackage)
  WHERE d.group IS NOT NULL AND d.group <> m.group
    AND NOT EXISTS {
      MATCH (s)-[u:USES]->()
      WHERE u.arg STARTS WITH s.pointer + '/Arguments/ModelPackageGroupName'
    }
  RETURN ['group', -1, m.group, d.group] AS drift
  UNION
  MATCH (m)-[:GENERATED_BY]->(:Step)-[c:CONSUMES {literal: true}]->(a:Artifact)
  WHERE c.input_kind IN ['image', 'model']
  WITH m, c, a, toInteger(split(c.arg, '/')[-2]) AS i
  WITH c, a, i,
       CASE c.input_kind WHEN 'image' THEN m.images[i] ELSE m.model_data_urls[i] END AS registered
  WHERE coalesce(registered, '') <> a.uri
  RETURN [CASE c.input_kind WHEN 'image' THEN 'image' ELSE 'model_uri' END, i, registered,
          a.uri] AS drift
  UNION
  MATCH (m)-[:GENERATED_BY]->(:Step)-[u:USES {input_kind: 'model'}]->(r:PropertyRef {root: 'Steps'})
  WHERE u.arg ENDS WITH '/ModelDataUrl'
  WITH m, r, toInteger(split(u.arg, '/')[-2]) AS i
  MATCH (m)-[:GENERATED_BY]->(j:Job)
  WHERE j.model_artifact = m.model_data_urls[i] AND j.step_name IS NOT NULL
    AND j.step_name <> r.target_step
  RETURN ['model_step', i, j.step_name, r.target_step] AS drift
}
WITH m, p, collect(drift) AS drifts
RETURN 'ModelPackage' AS kind, m.key AS key, '/InferenceSpecification' AS pointer,
       {group: m.group, version: m.version, step: m.execution_step, pipeline: p.pipeline_name,
        drifts: drifts} AS args
