// L308 metrics-not-from-pipeline, for Neo4j Browser: each reported metrics source, from the
// registration to what it reads (a parameter or a literal URI no step writes).
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step {step_type: 'RegisterModel'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
CALL (s) {
  MATCH (s)-[u:USES {input_kind: 'metrics'}]->(r:PropertyRef)-[:RESOLVES_TO]->(source)
  RETURN u.entry AS entry, r AS ref, source
  UNION
  MATCH (s)-[c:CONSUMES {input_kind: 'metrics', literal: true}]->(source:Artifact)
  RETURN c.entry AS entry, null AS ref, source
}
WITH p, s, entry,
     collect(CASE
       WHEN source:Parameter THEN false
       WHEN source:Step THEN true
       WHEN ref IS NOT NULL THEN EXISTS { (source)<-[:PRODUCES]-() }
       ELSE EXISTS {
         MATCH (p)-[:HAS_STEP]->(other:Step)-[:PRODUCES]->(output:Artifact)
         WHERE other <> s AND output.artifact_kind <> 'model' AND output.uri IS NOT NULL
           AND (source.uri = output.uri
                OR source.uri STARTS WITH CASE WHEN output.uri ENDS WITH '/' THEN output.uri
                                               ELSE output.uri + '/' END)
       }
     END) AS produced
WHERE none(ok IN produced WHERE ok)
MATCH path = (p)-[:HAS_STEP]->(s)-[u:USES|CONSUMES {input_kind: 'metrics', entry: entry}]->(x)
             -[:RESOLVES_TO]->{0,1}(source)
WHERE u.literal OR (x:PropertyRef AND source <> x)
RETURN path
