// L322 stale-location-read: the checked population (inputs read by S3 location from another
// step's output, in the same or another form) for "N of M".
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(r:Step)-[c:CONSUMES]->(:Artifact)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND c.via IN ['location', 'stale-location']
RETURN count(DISTINCT [r.key, c.arg]) AS checked
