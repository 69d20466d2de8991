// L314 orphan-step, for Neo4j Browser: each orphan step with the outputs nothing reads.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND s.step_type IN ['Processing', 'Training', 'Tuning', 'AutoML']
  AND NOT coalesce(s.publishes_reports, false)
  AND COUNT { (p)-[:HAS_STEP]->(:Step) } > 1
  AND NOT EXISTS { (other:Step)-[:DEPENDS_ON]->(s) WHERE other <> s }
  AND NOT EXISTS {
    MATCH (p)-[:HAS_STEP]->(other:Step)-[:USES]->(:PropertyRef {root: 'Steps', target_step: s.name})
    WHERE other <> s
  }
  AND NOT EXISTS {
    MATCH (other:Step)-[c:CONSUMES]->(:Artifact)<-[:PRODUCES]-(s)
    WHERE other <> s AND c.via IS NOT NULL
  }
  AND NOT EXISTS {
    MATCH (p)-[:HAS_STEP]->(other:Step)-[:CONSUMES {literal: true}]->(a:Artifact),
          (s)-[:PRODUCES]->(output:Artifact)
    WHERE other <> s AND output.artifact_kind <> 'model' AND output.uri IS NOT NULL
      AND (a.uri = output.uri
           OR a.uri STARTS WITH CASE WHEN output.uri ENDS WITH '/' THEN output.uri
                                     ELSE output.uri + '/' END)
  }
MATCH path = (p)-[:HAS_STEP]->(s)-[:PRODUCES]->(:Artifact)
RETURN path
