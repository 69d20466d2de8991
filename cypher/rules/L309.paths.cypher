// L309 evaluated-model-mismatch, for Neo4j Browser: each registration with the model it
// registers, the step its metrics come from, and the model that step read instead.
// Same logic as L309.cypher; per finding, the paths from the registration to the registered
// model and to the metrics producer, and from the steps the producer reads to their models.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step {step_type: 'RegisterModel'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
CALL (s) {
  MATCH (s)-[:CONSUMES {input_kind: 'model'}]->(model:Artifact)
  WITH DISTINCT model
  OPTIONAL MATCH (model)<-[:PRODUCES]-(producer:Step)
  RETURN collect(DISTINCT model.key) AS registered, collect(producer.key) AS producers
}
WITH p, s, registered, producers WHERE size(registered) > 0
CALL (p) {
  RETURN COLLECT {
    MATCH (p)-[:HAS_STEP]->(reader:Step)-[:USES]->(r:PropertyRef {root: 'Steps'})
    MATCH (p)-[:HAS_STEP]->(upstream:Step {name: r.target_step})
    WHERE upstream <> reader
    RETURN [reader.key, upstream.key]
    UNION
    MATCH (p)-[:HAS_STEP]->(reader:Step)-[:CONSUMES {literal: true}]->(a:Artifact)
    MATCH (p)-[:HAS_STEP]->(upstream:Step)-[:PRODUCES]->(output:Artifact)
    WHERE upstream <> reader AND output.artifact_kind <> 'model' AND output.uri IS NOT NULL
      AND (a.uri = output.uri
           OR a.uri STARTS WITH CASE WHEN output.uri ENDS WITH '/' THEN output.uri
                                     ELSE output.uri + '/' END)
    RETURN [reader.key, upstream.key]
  } AS links
}
WITH p, s, registered, links,
     reduce(seen = producers, i IN range(1, size(links)) |
            seen + [l IN links WHERE l[0] IN seen AND NOT l[1] IN seen | l[1]]) AS upstream
WITH p, s, links,
     registered + COLLECT {
       MATCH (p)-[:HAS_STEP]->(x:Step)-[:CONSUMES]->(m:Artifact {artifact_kind: 'model'})
       WHERE x.key IN upstream
       RETURN m.key
     } AS lineage
CALL (p, s) {
  MATCH (s)-[u:USES {input_kind: 'metrics'}]->(:PropertyRef)-[:RESOLVES_TO]->(evaluator:Step)
  RETURN evaluator
  UNION
  MATCH (s)-[u:USES {input_kind: 'metrics'}]->(:PropertyRef)-[:RESOLVES_TO]->(:Artifact)
        <-[:PRODUCES]-(evaluator:Step)
  RETURN evaluator
  UNION
  MATCH (s)-[c:CONSUMES {input_kind: 'metrics', literal: true}]->(a:Artifact)
  MATCH (p)-[:HAS_STEP]->(evaluator:Step)-[:PRODUCES]->(output:Artifact)
  WHERE evaluator <> s AND output.artifact_kind <> 'model' AND output.uri IS NOT NULL
    AND (a.uri = output.uri
         OR a.uri STARTS WITH CASE WHEN output.uri ENDS WITH '/' THEN output.uri
                                   ELSE output.uri + '/' END)
  RETURN evaluator
}
WITH p, s, lineage, evaluator,
     reduce(seen = [evaluator.key], i IN range(1, size(links)) |
            seen + [l IN links WHERE l[0] IN seen AND NOT l[1] IN seen | l[1]]) AS upstream
WITH p, s, lineage, evaluator, upstream, COLLECT {
       MATCH (p)-[:HAS_STEP]->(x:Step)-[:CONSUMES]->(m:Artifact {artifact_kind: 'model'})
       WHERE x.key IN upstream
       RETURN DISTINCT m.key
     } AS evaluated
WHERE size(evaluated) > 0 AND none(key IN evaluated WHERE key IN lineage)
CALL (s, evaluator, upstream, evaluated) {
  MATCH path = (s)-[:CONSUMES {input_kind: 'model'}]->(:Artifact)<-[:PRODUCES]-{0,1}()
  RETURN path
  UNION
  MATCH path = (s)-[:USES {input_kind: 'metrics'}]->(:PropertyRef)-[:RESOLVES_TO]->()
               <-[:PRODUCES]-{0,1}(evaluator)
  RETURN path
  UNION
  MATCH path = (s)-[:CONSUMES {input_kind: 'metrics', literal: true}]->(:Artifact)
  RETURN path
  UNION
  MATCH path = (x:Step)-[:CONSUMES]->(m:Artifact {artifact_kind: 'model'})
  WHERE x.key IN upstream AND m.key IN evaluated
  RETURN path
}
RETURN path
