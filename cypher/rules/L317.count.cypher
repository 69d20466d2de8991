// L317 branch-reference: the checked population (the references and DependsOn entries naming a
// step of the pipeline, of steps in a Condition branch) for "N of M".
// Parameters: $pipelines: list of pipeline keys, or null for every pipeline.
MATCH (p:Pipeline)-[:HAS_STEP]->(s:Step)
WHERE ($pipelines IS NULL OR p.key IN $pipelines) AND EXISTS { ()-[:IF_TRUE|IF_FALSE]->(s) }
RETURN sum(
         COUNT {
           MATCH (s)-[:USES]->(r:PropertyRef {root: 'Steps'})
           WHERE EXISTS { (p)-[:HAS_STEP]->(:Step {name: r.target_step}) }
         } + COUNT { (s)-[:DEPENDS_ON]->(:Step) }
       ) AS checked
