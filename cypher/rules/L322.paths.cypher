// L322 stale-location-read, for Neo4j Browser: the reader, the output it reads in another
// execution's form, and the writer.
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH path = (p:Pipeline)-[:HAS_STEP]->(r:Step)-[:CONSUMES {via: 'stale-location'}]->(:Artifact)
             <-[:PRODUCES]-(:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
RETURN path
