// L319 definition-registry-drift: a live package registered by step S of a pipeline execution,
// where the current definition of S registers another group, image or model source, or the
// definition has no RegisterModel step S any more. Compared: literal group names, literal
// images and model data URIs per container, and `Steps.T.…` model data references against the
// step of the execution whose job wrote the package's model. Parameters and expressions are not
// compared (a run may override them).
// Parameters: $registries: the `{account, region}` of each registry to check (see L318.cypher).
// Returns the rule row shape: kind, key, pointer, args (drifts: [field, container, registered,
// defined], in any order; the message sorts them). A package's origins are expanded once; what a
// step defines is read once per step, then compared with each package it registered; the
// pipeline is looked up for the packages that drifted only.
UNWIND $registries AS registry
MATCH (m:ModelPackage {account: registry.account, region: registry.region})
WHERE m.arn IS NOT NULL AND m.execution_step IS NOT NULL
WITH m, [(m)-[:GENERATED_BY]->(origin) | origin] AS origins
WITH m, origins, [o IN origins WHERE o:Step] AS steps
UNWIND CASE WHEN steps = [] THEN [null] ELSE steps END AS s
WITH s, collect([m, origins]) AS registered
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
UNWIND registered AS row
WITH row[0] AS m, row[1] AS origins, s, groups, literals, refs
WITH m, origins,
     CASE WHEN s IS NULL THEN [['step', -1, m.execution_step, null]] ELSE [] END
     + [g IN groups WHERE g <> m.group | ['group', -1, m.group, g]]
     + [l IN literals
        WHERE coalesce(CASE l.kind WHEN 'image' THEN m.images[l.i]
                                   ELSE m.model_data_urls[l.i] END, '') <> l.uri
        | [CASE l.kind WHEN 'image' THEN 'image' ELSE 'model_uri' END, l.i,
           CASE l.kind WHEN 'image' THEN m.images[l.i] ELSE m.model_data_urls[l.i] END,
           l.uri]]
     + reduce(found = [], ref IN refs | found
         + [j IN origins WHERE j:Job AND j.step_name IS NOT NULL AND j.step_name <> ref.target
              AND j.model_artifact = m.model_data_urls[ref.i]
            | ['model_step', ref.i, j.step_name, ref.target]]) AS drifts
WHERE drifts <> []
UNWIND [o IN origins WHERE o:PipelineExecution] AS execution
MATCH (execution)-[:RUN_OF]->(p:Pipeline)
UNWIND drifts AS drift
WITH m, p, collect(DISTINCT drift) AS drifts
RETURN 'ModelPackage' AS kind, m.key AS key, '/InferenceSpecification' AS pointer,
       {group: m.group, version: m.version, step: m.execution_step, pipeline: p.pipeline_name,
        drifts: drifts} AS args
