// L321 unordered-location-read, for Neo4j Browser: the reader, the output it reads by location
// and the writer, where neither step waits for the other.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH path = (p:Pipeline)-[:HAS_STEP]->(r:Step)-[c:CONSUMES {via: 'location'}]->(a:Artifact)
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
RETURN path
