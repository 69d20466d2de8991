"""Helpers the tests share: builders, paths, plugins (Neo4j, moto), scenarios, browsers."""
