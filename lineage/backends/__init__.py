"""Graph backends: the embedded memory backend and Neo4j."""

NEO4J_BATCH_SIZE = 10_000
