"""Neo4j: connect, load the graph and findings, clean up, run the rules and audits there, read
graphs back for views, and start a local server."""

NEO4J_BATCH_SIZE = 10_000  # rows per UNWIND batch when loading
