// L314 orphan-step: a Processing, Training, Tuning or AutoML step with declared outputs that no
// other step of its pipeline reads (by a Steps.<name> reference, at a literal URI at or below
// one of its non-model outputs, or at a location the collector matched to one of its outputs:
// CONSUMES {via}) or lists in DependsOn; the only step of a pipeline is exempt.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND s.step_type IN ['Processing', 'Training', 'Tuning', 'AutoML']
  AND NOT coalesce(s.publishes_reports, false)
  AND EXISTS { (s)-[:PRODUCES]->(:Artifact) }
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
CALL (s) {
  MATCH (s)-[:PRODUCES]->(output:Artifact)
  WITH DISTINCT output ORDER BY output.key
  RETURN collect(output.name) AS outputs
}
RETURN 'Step' AS kind, s.key AS key, s.pointer AS pointer,
       {step_type: s.step_type, step: s.name, outputs: outputs} AS args
