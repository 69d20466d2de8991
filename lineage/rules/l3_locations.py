"""Level 3 rules on data passed through S3 locations: unordered reads and other executions' data."""

from __future__ import annotations

from collections.abc import Iterator

from lineage.graph.lineage_graph import Edge, Kind, LineageGraph, Node, Rel
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.queries import BRANCH_FIELDS, location_reads
from lineage.rules.engine.rulebook import graph_rule, violation

LOCATION_BASIS = (
    "SageMaker Pipelines runs a step once the steps it references (Get) or names in "
    "DependsOn have finished, all others in parallel; S3 locations built from literals, "
    "parameters, Std:Join and execution variables (lineage/sagemaker/locations.py)"
)


class RunOrder:
    """Which steps a step waits for: through DependsOn and references (RUNS_AFTER) and through
    the Condition steps whose branches hold it; each closure is found when first asked for."""

    def __init__(self, graph: LineageGraph) -> None:
        self._graph = graph
        self._closed: dict[str, frozenset[str]] = {}

    def _waits(self, step: Node) -> list[Node]:
        graph = self._graph
        conditions = [c for rel in BRANCH_FIELDS for c in graph.into(step, rel)]
        return graph.out(step, Rel.RUNS_AFTER) + conditions

    def waits_for(self, step: Node, other: Node) -> bool:
        """Whether `step` runs only after `other` has finished."""
        closed = self._closed.get(step.id)
        if closed is None:
            seen: set[str] = set()
            stack = self._waits(step)
            while stack:
                current = stack.pop()
                if current.id not in seen:
                    seen.add(current.id)
                    stack.extend(self._waits(current))
            closed = self._closed[step.id] = frozenset(seen)
        return other.id in closed


def reads_via(graph: LineageGraph, via: str) -> Iterator[tuple[Edge, Node]]:
    """Each CONSUMES edge of a step reading another step's output by location (`via`), with the
    writing step."""
    for edge in location_reads(graph):
        producer = edge.target.get("producer")
        if edge.props.get("via") == via and producer and graph.has(Kind.STEP, producer):
            yield edge, graph.node(Kind.STEP, producer)


@graph_rule(
    "L321",
    "unordered-location-read",
    Severity.ERROR,
    applies_to="Step inputs read from an S3 location another step writes",
    summary="A step reads an S3 location another step of the run writes, without waiting for it "
    "(one finding per reader and writer, at its first such read)",
    rationale=(
        "SageMaker Pipelines starts a step as soon as the steps it references (`Get`) or names "
        "in `DependsOn` are done, and runs all others at the same time. A step that reads an S3 "
        "location another step writes, passed as a literal, a parameter or a `Std:Join` "
        "instead of the writer's output property, does not wait for it: it races the writer "
        "and reads nothing, a partial write, or what an earlier execution left there. Locations "
        "are compared segment by segment; a template placeholder stands for any one segment."
    ),
    recommendation=(
        "Read the writer's output property (`step.properties.ProcessingOutputConfig.Outputs"
        "['name'].S3Output.S3Uri`), which also records the lineage, or add the writer to the "
        "reader's `depends_on`."
    ),
    example='Train reads "s3://bucket/prep/train/" (a literal) that Prep writes; no DependsOn',
    message=lambda a: (
        f"step {a['step']!r} reads {a['location']!r}, which step {a['writer']!r} writes, but "
        f"nothing makes it wait for {a['writer']!r} (no DependsOn, no property reference): it "
        "may read nothing, part of the data, or an earlier run's"
    ),
    review=(
        "Corpus: 2 findings, both true: the sn-infra-pipeline Terraform template passes each "
        "processing step's output to the next as a literal URI (`${s3_output_data}` written, "
        "`${s3_input_data}` read) with no DependsOn, so its three steps start together. The 14 "
        "other location reads of the corpus wait for their writer through a Condition or "
        "a reference."
    ),
    basis=LOCATION_BASIS,
)
def unordered_location_read(context: CheckContext) -> Iterator[Violation]:
    """Location reads of another step's output by a step that does not wait for that step."""
    graph = context.graph
    order = RunOrder(graph)
    first: dict[tuple[str, str], Edge] = {}  # one finding per reader and writer: its first read
    for edge, writer in reads_via(graph, "location"):
        reader = edge.source
        if order.waits_for(reader, writer) or order.waits_for(writer, reader):
            continue
        pair = (reader.id, writer.id)
        if pair not in first or str(edge.props.get("arg")) < str(first[pair].props.get("arg")):
            first[pair] = edge
    for _, edge in sorted(first.items()):
        args = {
            "step": edge.source.get("name"),
            "writer": graph.node(Kind.STEP, str(edge.target.get("producer"))).get("name"),
            "location": edge.props.get("location"),
        }
        yield violation("L321", edge.source, args, str(edge.props.get("arg")))


@graph_rule(
    "L322",
    "stale-location-read",
    Severity.ERROR,
    applies_to="Step inputs read from an S3 location another step writes in another form",
    summary="A step reads a fixed S3 location that the pipeline writes per execution, or the "
    "reverse",
    rationale=(
        "A writer whose output location holds the execution id or start time "
        "(`ExecutionVariables.PIPELINE_EXECUTION_ID`, `START_DATETIME`) writes to a new place "
        "in every run. A reader that names the same place without that part reads what some "
        "earlier run left at a fixed path, or nothing; a reader that adds it while the writer "
        "writes a fixed path reads a place nobody writes. Either way the step runs on data "
        "that is not this execution's."
    ),
    recommendation=(
        "Read the writer's output property instead of rebuilding its location, or build both "
        "locations from the same `Join` of the same execution variables."
    ),
    example='Register reads "s3://b/prep/scaler/model.tar.gz"; Prep writes Join(["s3://b/prep", '
    'ExecutionVariables.START_DATETIME, "scaler"])',
    message=lambda a: (
        f"step {a['step']!r} reads {a['location']!r}, but step {a['writer']!r} writes "
        f"{a['written']!r}: "
        + (
            "a new place in every execution, so this reads an earlier run's data or nothing"
            if a["writer_per_run"]
            else "a fixed place, so this execution's location is never written"
        )
    ),
    review=(
        "Corpus: 1 finding, true: sm-terraform-poc's housing pipeline registers "
        "`…/preprocessing/output/scaler_model/model.tar.gz` while its preprocessing writes under "
        "`…/output/<StartDateTime>/scaler_model` (the same cause L307 reported; L322 absorbs "
        "it). An SDK-uploaded analysis config below a check step's prefix is not taken for its "
        "output (only the output itself or a file right in it counts)."
    ),
    basis=LOCATION_BASIS,
    absorbs=("L307", "L308", "L313"),
)
def stale_location_read(context: CheckContext) -> Iterator[Violation]:
    """Reads of another step's output that match it only when the per-execution part is ignored."""
    graph = context.graph
    for edge, _ in reads_via(graph, "stale-location"):
        reader, artifact = edge.source, edge.target
        written = str(artifact.get("location"))
        args = {
            "step": reader.get("name"),
            "writer": graph.node(Kind.STEP, str(artifact.get("producer"))).get("name"),
            "location": edge.props.get("location"),
            "written": written,
            "writer_per_run": "{Execution." in written,
        }
        yield violation("L322", reader, args, str(edge.props.get("arg")))
