"""The Cypher files lineage ships (read by lineage.neo4j.cypher_files): schema, rules, audits."""
