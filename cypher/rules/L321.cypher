// L321 unordered-location-read: a step reads, by S3 location (a literal, parameter or Join the
// collector matched to another step's output: CONSUMES {via: 'location'}), what another step
// writes, and neither waits for the other (no chain of RUNS_AFTER, from DependsOn and
// references, or of Condition branches between them).
// Parameters: $pipelines: list of pipeline keys to check, or null for every pipeline.
// Returns the rule row shape: kind, key, pointer, args.
MATCH (p:Pipeline)-[:HAS_STEP]->(r:Step)-[c:CONSUMES {via: 'location'}]->(a:Artifact)
      <-[:PRODUCES]-(w:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND w <> r
  AND NOT EXISTS {
    MATCH (r) ((x)-[e:RUNS_AFTER|IF_TRUE|IF_FALSE]-(y)
               WHERE (type(e) = 'RUNS_AFTER' AND startNode(e) = x)
                  OR (type(e) <> 'RUNS_AFTER' AND endNode(e) = x))+ (w)
  }
  AND NOT EXISTS {
    MATCH (w) ((x)-[e:RUNS_AFTER|IF_TRUE|IF_FALSE]-(y)
               WHERE (type(e) = 'RUNS_AFTER' AND startNode(e) = x)
                  OR (type(e) <> 'RUNS_AFTER' AND endNode(e) = x))+ (r)
  }
// One row per reader and writer, at the reader's first such read by pointer.
WITH r, w, c ORDER BY c.arg
WITH r, w, collect(c)[0] AS c
RETURN 'Step' AS kind, r.key AS key, c.arg AS pointer,
       {step: r.name, writer: w.name, location: c.location} AS args
