"""Reports list findings in a stable order that reads numbers as numbers."""

from __future__ import annotations

from lineage.rules.engine.model import Finding, Severity


def test_reports_order_numbers_in_keys_and_pointers_as_numbers() -> None:
    def finding(node: str, pointer: str) -> Finding:
        return Finding(
            "L413",
            "x",
            4,
            Severity.INFO,
            "m",
            None,
            None,
            node,
            "ModelPackage",
            pointer,
            None,
            None,
        )

    nodes = ["churn/10", "churn/9", "churn/100", "churn/2"]
    ordered = sorted((finding(n, "") for n in nodes), key=Finding.sort_key)
    assert [f.node for f in ordered] == ["churn/2", "churn/9", "churn/10", "churn/100"]
    pointers = ["/Steps/10/Arguments", "/Steps/2/Arguments", "/Steps/1/Arguments"]
    ordered = sorted((finding("p", ptr) for ptr in pointers), key=Finding.sort_key)
    assert [f.pointer for f in ordered] == [
        "/Steps/1/Arguments",
        "/Steps/2/Arguments",
        "/Steps/10/Arguments",
    ]
