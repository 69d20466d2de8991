"""The graph store's order guarantees: neighbours and edges come back in key order, whatever
order they were added in, and a change after a read shows in the next read."""

from __future__ import annotations

import random

from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel


def _shuffled_graph(seed: int) -> tuple[LineageGraph, Node, list[str]]:
    """A step with USES edges to refs `r00`..`r19` (two arguments each) and DEPENDS_ON edges
    from them, added in a shuffled order."""
    graph = LineageGraph()
    step = graph.add_node(Kind.STEP, "s")
    keys = [f"r{i:02d}" for i in range(20)]
    pairs = [(key, arg) for key in keys for arg in ("/b", "/a")]
    random.Random(seed).shuffle(pairs)
    for key, arg in pairs:
        ref = graph.add_node(Kind.PROPERTY_REF, key)
        graph.add_edge(step, Rel.USES, ref, arg=arg)
        graph.add_edge(ref, Rel.DEPENDS_ON, step, arg=arg)
    return graph, step, keys


def test_neighbours_come_back_in_key_order_whatever_the_insert_order() -> None:
    for seed in range(5):
        graph, step, keys = _shuffled_graph(seed)
        assert [n.key for n in graph.out(step, Rel.USES)] == keys  # each target once
        assert [n.key for n in graph.into(step, Rel.DEPENDS_ON)] == keys  # each source once
        edges = graph.out_edges(step, Rel.USES)
        assert [(e.target.key, e.props["arg"]) for e in edges] == [
            (key, arg) for key in keys for arg in ("/a", "/b")
        ]
        assert all(e.source is step for e in edges)


def test_the_same_edge_is_stored_once_and_merges_its_properties() -> None:
    graph, step, _ = _shuffled_graph(0)
    ref = graph.node(Kind.PROPERTY_REF, "r03")
    graph.add_edge(step, Rel.USES, ref, arg="/a", input_kind="model")
    assert graph.number_of_edges() == 80
    found = [e.props for e in graph.out_edges(step, Rel.USES) if e.target is ref]
    assert found == [{"arg": "/a", "input_kind": "model"}, {"arg": "/b"}]


def test_a_change_after_a_read_shows_in_the_next_read() -> None:
    graph, step, keys = _shuffled_graph(1)
    first = graph.out(step, Rel.USES)
    first.clear()  # callers get their own list
    graph.add_edge(step, Rel.USES, graph.add_node(Kind.PROPERTY_REF, "a"), arg="/z")
    assert [n.key for n in graph.out(step, Rel.USES)] == ["a", *keys]
    graph.update_out_edges(step, (Rel.USES,), lambda data: data["arg"] == "/z", entry="e")
    assert graph.out_edges(step, Rel.USES)[0].props == {"arg": "/z", "entry": "e"}


def test_nodes_of_a_kind_and_edges_are_listed_in_key_order() -> None:
    graph, step, keys = _shuffled_graph(2)
    assert [n.key for n in graph.nodes(Kind.PROPERTY_REF)] == keys
    assert [n.id for n in graph.nodes()] == sorted([step.id, *(f"PropertyRef|{k}" for k in keys)])
    listed = [(e.source.key, e.rel.value, e.target.key, e.props["arg"]) for e in graph.edges()]
    assert listed == sorted(listed)
    assert graph.counts() == {"DEPENDS_ON": 40, "PropertyRef": 20, "Step": 1, "USES": 40}


def test_a_family_memo_is_kept_per_key_until_the_graph_changes() -> None:
    graph = LineageGraph()
    step = graph.add_node(Kind.STEP, "p/steps/a")
    calls: list[str] = []

    def compute(key: str) -> str:
        calls.append(key)
        return key.upper()

    assert graph.memo_in("upper", "a", lambda: compute("a")) == "A"
    assert graph.memo_in("upper", "a", lambda: compute("a")) == "A"
    assert graph.memo_in("upper", "b", lambda: compute("b")) == "B"
    assert calls == ["a", "b"]
    graph.add_node(Kind.STEP, "p/steps/b", name=step.key)
    assert graph.memo_in("upper", "a", lambda: compute("a")) == "A"
    assert calls == ["a", "b", "a"]
