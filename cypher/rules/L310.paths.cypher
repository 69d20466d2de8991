// L310 ungated-registration, for Neo4j Browser: each ungated registration in its pipeline, with
// the Conditions around it (none of which reads an evaluation metric).
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step {step_type: 'RegisterModel'})
WHERE ($pipelines IS NULL OR p.key IN $pipelines)
  AND NOT EXISTS {
    MATCH (condition:Step)-[:IF_TRUE|IF_FALSE]->+(s)
    WHERE EXISTS { (condition)-[:USES]->(:PropertyRef {output_family: 'property_files'}) }
  }
MATCH path = (p)-[:HAS_STEP]->(top:Step)-[:IF_TRUE|IF_FALSE]->*(s)
WHERE NOT EXISTS { ()-[:IF_TRUE|IF_FALSE]->(top) }
RETURN path
