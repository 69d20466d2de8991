"""Every module that defines rules; importing this registers the whole catalogue."""

from lineage.checks import cycles, references, structure

__all__ = ["cycles", "references", "structure"]
