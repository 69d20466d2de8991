"""One measurement per process (`python -m benchmarks.worker TASK JSON`): prints one JSON line
with the run times, extra figures and the process's peak RSS."""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Result = dict[str, Any]


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(
    fn: Callable[[], Any], reps: int, warmup: int = 0, cpu: list[float] | None = None
) -> tuple[list[float], Any]:
    """Wall times of `reps` calls of `fn` after `warmup` untimed ones; the last call's result
    (each call runs with no earlier result alive, so the peak RSS is that of one call). The
    calls' CPU times go to `cpu` when given: a ratio of those holds on a busy machine."""
    times, value = [], None
    for _ in range(warmup):
        fn()
    for _ in range(reps):
        value = None
        start, start_cpu = time.perf_counter(), time.process_time()
        value = fn()
        times.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
    return times, value


def json_load(params: Result) -> Result:
    """The floor: `json.load` of every `*.json` file under the paths."""
    files = sorted(f for p in params["paths"] for f in _json_files(Path(p)))

    def load() -> int:
        for path in files:
            with path.open("rb") as handle:
                json.load(handle)
        return len(files)

    cpu: list[float] = []
    times, count = timed(load, params["reps"], cpu=cpu)
    return {"times": times, "cpu_times": cpu, "files": count}


def _json_files(path: Path) -> list[Path]:
    return sorted(path.rglob("*.json")) if path.is_dir() else [path]


def scan(params: Result) -> Result:
    """`lineage.scan.scan` (collect + every enabled rule, memory backend) of the paths."""
    from lineage.config import Settings
    from lineage.scan import scan as run_scan

    cpu: list[float] = []
    times, result = timed(
        lambda: run_scan(params["paths"], Settings()),
        params["reps"],
        params.get("warmup", 1),
        cpu,
    )
    return {
        "times": times,
        "cpu_times": cpu,
        "definitions": len(result.definitions),
        "findings": len(result.findings),
        "errors": len(result.errors),
        "nodes": result.graph.number_of_nodes(),
    }


def collect_only(params: Result) -> Result:
    """`lineage.scan.collect` alone: read, parse and build the graph of the paths, no rules."""
    from lineage.scan import collect

    cpu: list[float] = []
    times, result = timed(
        lambda: collect(params["paths"]), params["reps"], params.get("warmup", 1), cpu
    )
    return {
        "times": times,
        "cpu_times": cpu,
        "definitions": len(result.definitions),
        "nodes": result.graph.number_of_nodes(),
    }


def collect_parts(params: Result) -> Result:
    """CPU times, collector paused as a scan pauses it, of `load_sources`, `build_graph`, and of
    storing the built nodes and edges again, in order, in an empty graph (the store alone)."""
    from lineage.collect.sources import load_sources
    from lineage.graph.lineage_graph import LineageGraph
    from lineage.scan import build_graph

    parts: dict[str, list[float]] = {"read": [], "build": [], "store": []}
    for _ in range(params["reps"]):
        gc.disable()
        start = time.process_time()
        loaded = load_sources(params["paths"])
        read = time.process_time()
        graph, _ = build_graph(loaded.definitions)
        built = time.process_time()
        exported = graph.to_networkx()
        nodes = [(d["kind"], d["key"], dict(d["props"])) for _, d in exported.nodes(data=True)]
        views = {node.id: node for node in graph.nodes()}
        edges = [
            (views[u], data["rel"], views[v], {k: x for k, x in data.items() if k != "rel"})
            for u, v, data in exported.edges(data=True)
        ]
        store_start = time.process_time()
        stored = LineageGraph()
        for kind, key, props in nodes:
            stored.add_node(kind, key, **props)
        for source, rel, target, props in edges:
            stored.add_edge(source, rel, target, **props)
        store = time.process_time() - store_start
        assert stored.counts() == graph.counts()
        parts["read"].append(read - start)
        parts["build"].append(built - read)
        parts["store"].append(store)
        del loaded, graph, exported, nodes, views, edges, stored
        gc.enable()
        gc.collect()
    return {"cpu_parts": parts}


def _l3_rules(codes: list[str] | None = None) -> list[Any]:
    """The L3 graph rules (only `codes`, when given)."""
    from lineage.rules.engine.rulebook import all_rules

    return [
        rule
        for rule in all_rules()
        if rule.code.startswith("L3") and rule.is_graph_rule and (not codes or rule.code in codes)
    ]


def _registry(params: Result) -> Any:
    from benchmarks.generate import registry_graph

    start = time.perf_counter()
    registry = registry_graph(params["packages"], params.get("seed", 0))
    return registry, time.perf_counter() - start


def rules_memory(params: Result) -> Result:
    """Each L3 rule, then all of them, on a synthetic registry graph with the memory backend."""
    from lineage.config import Settings
    from lineage.rules.engine.run import run_rules

    registry, build = _registry(params)
    settings, per_rule, findings = Settings(), {}, {}
    # Once, on the fresh graph: what a scan pays, with the cyclic collector paused as
    # `lineage.scan.check` pauses it (a collection would rescan the whole graph).
    gc.collect()
    gc.disable()
    start, cpu = time.perf_counter(), time.process_time()
    try:
        run_rules(registry.graph, registry.definitions, settings, _l3_rules(params.get("codes")))
    finally:
        first, first_cpu = time.perf_counter() - start, time.process_time() - cpu
        gc.enable()
    for rule in _l3_rules(params.get("codes")):
        times, found = timed(
            lambda r=rule: run_rules(registry.graph, registry.definitions, settings, [r]),
            params["reps"],
            warmup=params.get("warmup", 1),
        )
        per_rule[rule.code], findings[rule.code] = times, len(found)
    times, _ = timed(
        lambda: run_rules(
            registry.graph, registry.definitions, settings, _l3_rules(params.get("codes"))
        ),
        params["reps"],
    )
    return {
        "times": times,
        "first_s": first,
        "first_cpu_s": first_cpu,
        "per_rule": per_rule,
        "findings": findings,
        "build_s": build,
        **_graph_size(registry.graph),
    }


def _graph_size(graph: Any) -> Result:
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}


def _driver(uri: str) -> Any:
    from neo4j import GraphDatabase, NotificationMinimumSeverity

    return GraphDatabase.driver(
        uri, auth=None, notifications_min_severity=NotificationMinimumSeverity.OFF
    )


def clear_database(driver: Any, database: str = "neo4j") -> None:
    """Delete every node and relationship (the schema stays)."""
    with driver.session(database=database) as session:
        session.run(
            "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()


def rules_neo4j(params: Result) -> Result:
    """Load a synthetic registry graph into an emptied Neo4j, then time each L3 rule's Cypher."""
    from lineage.config import Settings
    from lineage.neo4j.load import Neo4jLoader
    from lineage.neo4j.rules import Neo4jRuleBackend
    from lineage.rules.engine.run import run_rules
    from lineage.rules.l3_live_registry import scan_scope

    registry, build = _registry(params)
    settings, per_rule, findings = Settings(), {}, {}
    with _driver(params["uri"]) as driver:
        clear_database(driver)
        loader = Neo4jLoader(driver, "neo4j")
        start = time.perf_counter()
        loader.load_graph(registry.graph)
        load = time.perf_counter() - start
        scope = scan_scope(registry.graph, registry.definitions)
        backend = Neo4jRuleBackend(driver, "neo4j", scope)
        for rule in _l3_rules(params.get("codes")):
            times, found = timed(
                lambda r=rule: run_rules(
                    registry.graph, registry.definitions, settings, [r], backend=backend
                ),
                params["reps"],
                warmup=params.get("warmup", 1),
            )
            per_rule[rule.code], findings[rule.code] = times, len(found)
        times, _ = timed(
            lambda: run_rules(
                registry.graph,
                registry.definitions,
                settings,
                _l3_rules(params.get("codes")),
                backend=backend,
            ),
            params["reps"],
        )
        clear_database(driver)
    return {
        "times": times,
        "per_rule": per_rule,
        "findings": findings,
        "build_s": build,
        "load_s": load,
        **_graph_size(registry.graph),
    }


def _create_all(driver: Any, graph: Any, batch: int) -> int:
    """The ceiling: the same rows as the load, written with plain `UNWIND … CREATE`."""
    from lineage.neo4j.rows import edge_rows, node_rows

    rows = 0

    def write(query: str, chunk: list[Result]) -> None:
        with driver.session(database="neo4j") as session:
            session.execute_write(lambda tx: tx.run(query, rows=chunk).consume())

    for kind, found in node_rows(graph, edge_rows(graph)).items():
        query = f"UNWIND $rows AS row CREATE (n:{kind.value}) SET n = row.props, n.key = row.key"
        for start in range(0, len(found), batch):
            write(query, found[start : start + batch])
        rows += len(found)
    for group, found in edge_rows(graph).items():
        query = (
            f"UNWIND $rows AS row MATCH (a:{group.source.value} {{key: row.source}}) "
            f"MATCH (b:{group.target.value} {{key: row.target}}) "
            f"CREATE (a)-[r:{group.rel.value}]->(b) SET r = row.props, r.arg = row.arg"
        )
        for start in range(0, len(found), batch):
            write(query, found[start : start + batch])
        rows += len(found)
    return rows


def _scopes(graph: Any) -> list[Any]:
    """Every group of the synthetic registry, and its region's list of groups: all complete."""
    from lineage.collect.registry.model import Scope
    from lineage.graph.lineage_graph import Kind

    groups = [n.props for n in graph.nodes(Kind.MODEL_PACKAGE_GROUP) if "arn" in n.props]
    regions = {(g["account"], g["region"]) for g in groups}
    return [Scope(g["account"], g["region"], g["name"]) for g in groups] + [
        Scope(account, region) for account, region in sorted(regions)
    ]


def load(params: Result) -> Result:
    """First MERGE load into an emptied database, re-load of the same scan, and the
    `UNWIND … CREATE` ceiling into an emptied database, alternating, `reps` times each.
    A load is what `lineage scan --neo4j` does: graph, findings, then the scoped cleanup."""
    from lineage.config import Settings
    from lineage.neo4j import NEO4J_BATCH_SIZE
    from lineage.neo4j.load import Neo4jLoader
    from lineage.rules.engine.run import run_rules

    registry, build = _registry(params)
    findings = run_rules(registry.graph, registry.definitions, Settings())
    scopes = _scopes(registry.graph)
    first, whole, again, create = [], [], [], []
    rows = written = 0
    with _driver(params["uri"]) as driver:
        loader = Neo4jLoader(driver, "neo4j")
        loader.apply_schema()  # the same indexes for both: MERGE and MATCH use them

        def full_load() -> tuple[float, float, Any]:
            start = time.perf_counter()
            report = loader.load_graph(
                registry.graph, pipelines=registry.definitions, scopes=scopes
            )
            graph_s = time.perf_counter() - start
            loader.load_findings(findings, report)
            return graph_s, time.perf_counter() - start, report

        for _ in range(params["reps"]):
            clear_database(driver)
            graph_s, total_s, report = full_load()
            first.append(graph_s)
            whole.append(total_s)
            rows = report.rows - len(findings)
            _, total_s, report = full_load()
            again.append(total_s)
            written = report.rows + report.removed
            clear_database(driver)
            start = time.perf_counter()
            created = _create_all(driver, registry.graph, NEO4J_BATCH_SIZE)
            create.append(time.perf_counter() - start)
            assert created == rows, (created, rows)
        clear_database(driver)
    return {
        "times": first,
        "first_full": whole,
        "reload": again,
        "reload_written": written,
        "create": create,
        "rows": rows,
        "findings": len(findings),
        "build_s": build,
        **_graph_size(registry.graph),
    }


PER_GROUP = 50  # versions a group, as in the synthetic registry graphs
HAND_UPLOADED_EVERY = 50  # the first version of every 50 in a group has no lineage
SAGEMAKER_ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
XGBOOST = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"


def group_sizes(packages: int) -> list[int]:
    """How many versions each group of the seeded registry has."""
    return [min(PER_GROUP, packages - start) for start in range(0, packages, PER_GROUP)]


def has_lineage(version: int) -> bool:
    """Whether a group's version (0-based) came from a pipeline execution and its training job."""
    return version % HAND_UPLOADED_EVERY != 0


def traced(size: int) -> int:
    """How many versions of a group of `size` have an execution and a training job."""
    return sum(has_lineage(v) for v in range(size))


def _seed_group(sm: Any, index: int, size: int) -> None:
    """One group: its pipeline, and per version an execution of it, the execution's training job
    and the version with GeneratedBy and the job's model (or hand-uploaded, without either)."""
    from benchmarks.generate import pipeline

    name = f"model-{index:05d}"
    sm.create_model_package_group(ModelPackageGroupName=name)
    if traced(size):
        sm.create_pipeline(
            PipelineName=f"train-{name}",
            PipelineDefinition=json.dumps(pipeline(8, seed=index, group=name)),
            RoleArn=SAGEMAKER_ROLE,
        )
    for v in range(size):
        lineage: Result = {"MetadataProperties": {}}
        model = f"s3://uploads/manual/{name}-{v}.tar.gz"
        if has_lineage(v):
            execution = sm.start_pipeline_execution(PipelineName=f"train-{name}")
            lineage["MetadataProperties"]["GeneratedBy"] = execution["PipelineExecutionArn"]
            model = _training_job(sm, execution["PipelineExecutionArn"].rsplit("/", 1)[-1], name)
        sm.create_model_package(
            ModelPackageGroupName=name,
            ModelPackageDescription=f"XGBoost model of {name}",
            InferenceSpecification={
                "Containers": [{"Image": XGBOOST, "ModelDataUrl": model}],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
            ModelApprovalStatus=("Approved", "Rejected", "PendingManualApproval")[v % 3],
            ModelMetrics={
                "ModelQuality": {
                    "Statistics": {
                        "ContentType": "application/json",
                        "S3Uri": f"s3://bucket/eval/{name}-{v}/evaluation.json",
                    }
                }
            },
            CustomerMetadataProperties={"model_name": name, "framework": "xgboost"},
            Tags=[{"Key": "team", "Value": f"team-{index % 7}"}],
            **lineage,
        )


def _training_job(sm: Any, execution_id: str, group: str) -> str:
    """The training step's job of an execution, named as Pipelines names it; its model's URI."""
    job = f"pipelines-{execution_id}-AbaloneTrain"
    dataset = f"s3://bucket/{group}/{job}/train"
    sm.create_training_job(
        TrainingJobName=job,
        AlgorithmSpecification={"TrainingImage": XGBOOST, "TrainingInputMode": "File"},
        RoleArn=SAGEMAKER_ROLE,
        InputDataConfig=[
            {
                "ChannelName": "train",
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": dataset}},
            }
        ],
        OutputDataConfig={"S3OutputPath": "s3://bucket/models"},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )
    return f"s3://bucket/models/{job}/output/model.tar.gz"


def seed_moto(params: Result) -> Result:
    """Seed `packages` versions shaped like the synthetic registry graphs into a region of moto
    that nothing else uses (the server is not reset: a test session's moto holds other tests')."""
    import boto3

    credentials: Result = {}
    if params.get("role_arn"):  # another account: moto keeps what its assumed role creates apart
        sts = boto3.client("sts", region_name=params["region"], endpoint_url=params["endpoint"])
        given = sts.assume_role(RoleArn=params["role_arn"], RoleSessionName="seed")["Credentials"]
        credentials = {
            "aws_access_key_id": given["AccessKeyId"],
            "aws_secret_access_key": given["SecretAccessKey"],
            "aws_session_token": given["SessionToken"],
        }
    sm = boto3.client(
        "sagemaker", region_name=params["region"], endpoint_url=params["endpoint"], **credentials
    )
    sizes = group_sizes(params["packages"])
    start = time.perf_counter()
    for index, size in enumerate(sizes):
        _seed_group(sm, index, size)
    executions = sum(traced(size) for size in sizes)
    return {"times": [time.perf_counter() - start], "groups": len(sizes), "executions": executions}


def collect(params: Result) -> Result:
    """`collect_registry` of the seeded moto server (its `regions`, and the accounts of
    `role_arns` when given): wall time and API calls by operation."""
    from lineage.collect.registry.collector import collect_registry
    from lineage.collect.registry.model import RegistryOptions
    from lineage.graph.lineage_graph import LineageGraph

    if params.get("latency_ms"):
        _with_latency(params["latency_ms"] / 1000)
    options = RegistryOptions(
        regions=tuple(params.get("regions") or [params["region"]]),
        role_arns=tuple(params.get("role_arns", ())),
        endpoint_url=params["endpoint"],
    )
    cpu: list[float] = []
    times, collection = timed(
        lambda: collect_registry(options, LineageGraph()), params["reps"], cpu=cpu
    )
    return {
        "times": times,
        "cpu_times": cpu,
        "packages": collection.packages,
        "warnings": [str(w) for w in collection.warnings],
        "calls": dict(collection.counter.calls),
        "total_calls": collection.counter.total(),
    }


def _with_latency(seconds: float) -> None:
    """Every AWS call of the collector waits `seconds` before it is sent: the network round trip
    that moto on the same machine lacks (without it, client and server share the same cores)."""
    from lineage.collect.registry import session

    plain = session.new_session

    def delayed(**kwargs: Any) -> Any:
        made = plain(**kwargs)
        made.events.register("before-send", lambda **_: time.sleep(seconds))
        return made

    session.new_session = delayed


TASKS: dict[str, Callable[[Result], Result]] = {
    "json_load": json_load,
    "scan": scan,
    "collect_only": collect_only,
    "collect_parts": collect_parts,
    "rules_memory": rules_memory,
    "rules_neo4j": rules_neo4j,
    "load": load,
    "seed_moto": seed_moto,
    "collect": collect,
}


def main(argv: list[str]) -> None:
    """Run one task and print its result as one JSON line."""
    task, params = argv[0], json.loads(argv[1])
    result = TASKS[task](params)
    result["rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
