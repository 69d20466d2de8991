// L313 training-data-not-traceable: a Training or Tuning input channel that reads a literal S3
// URI at or below no declared (non-model) output of another step of the pipeline.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
      -[c:CONSUMES {input_kind: 'dataset', literal: true}]->(a:Artifact)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND s.step_type IN ['Training', 'Tuning']
  AND NOT EXISTS {
    MATCH (p)-[:HAS_STEP]->(other:Step)-[:PRODUCES]->(output:Artifact)
    WHERE other <> s AND output.artifact_kind <> 'model' AND output.uri IS NOT NULL
      AND (a.uri = output.uri
           OR a.uri STARTS WITH CASE WHEN output.uri ENDS WITH '/' THEN output.uri
                                     ELSE output.uri + '/' END)
  }
RETURN 'Step' AS kind, s.key AS key, c.arg AS pointer,
       {step: s.name, channel: c.input_name, uri: a.uri} AS args
