// L322 stale-location-read: a step reads another step's output at a location that is the
// same place only when the per-execution part (execution id, start time) is ignored: the
// collector's CONSUMES {via: 'stale-location'}.
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(r:Step)-[c:CONSUMES {via: 'stale-location'}]->(a:Artifact)
      <-[:PRODUCES]-(w:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
RETURN 'Step' AS kind, r.key AS key, c.arg AS pointer,
       {step: r.name, writer: w.name, location: c.location, written: a.location,
        writer_per_run: a.location CONTAINS '{Execution.'} AS args
