// L313 training-data-not-traceable, for Neo4j Browser: training steps and the literal data URIs
// they read that no step of the pipeline writes.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH path = (p:Pipeline)-[:HAS_STEP]->(s:Step)
             -[c:CONSUMES {input_kind: 'dataset', literal: true}]->(a:Artifact)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND s.step_type IN ['Training', 'Tuning']
  AND NOT EXISTS {
    MATCH (p)-[:HAS_STEP]->(other:Step)-[:PRODUCES]->(output:Artifact)
    WHERE other <> s AND output.artifact_kind <> 'model' AND output.uri IS NOT NULL
      AND (a.uri = output.uri
           OR a.uri STARTS WITH CASE WHEN output.uri ENDS WITH '/' THEN output.uri
                                     ELSE output.uri + '/' END)
  }
RETURN path
