// L321 unordered-location-read: the checked population (inputs read by S3 location from
// another step's output) for "N of M".
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(r:Step)-[c:CONSUMES {via: 'location'}]->(:Artifact)
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
RETURN count(DISTINCT [r.key, c.arg]) AS checked
