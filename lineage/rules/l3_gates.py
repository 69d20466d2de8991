"""Rules on what a quality gate decides: the branch a model takes, the metric it compares,
and the step the metric comes from."""

from __future__ import annotations

from collections.abc import Iterator

from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel
from lineage.jsondoc.pointer import child
from lineage.rules.engine.arguments import describe
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.queries import (
    BRANCH_FIELDS,
    consumed,
    enclosing_branches,
    pipeline_steps,
    read_models,
    referenced_steps,
    steps_of_type,
)
from lineage.rules.engine.rulebook import graph_rule, node_check, violation
from lineage.rules.gate_model import (
    PUBLISHING,
    branch_steps,
    gated_steps,
    metric_gated,
    metric_reads,
    model_inputs,
    passes_on_good_metric,
)
from lineage.rules.l1_conditions import ConditionAt
from lineage.rules.l3_gating import is_gated
from lineage.rules.l3_model_lineage import model_args, model_names

GATE_BASIS = (
    "the ConditionStep semantics of SageMaker Pipelines (IfSteps run when every condition"
    " holds, ElseSteps otherwise) and the SDK's JsonGet over evaluation PropertyFiles"
)


def _top_conditions(step: Node) -> list[ConditionAt]:
    """The top-level conditions of a Condition step (all must hold for its IfSteps to run)."""
    raw = step.get("raw")
    arguments = raw.get("Arguments") if isinstance(raw, dict) else None
    listed = arguments.get("Conditions") if isinstance(arguments, dict) else None
    base = child(child(step.get("pointer"), "Arguments"), "Conditions")
    if not isinstance(listed, list):
        return []
    return [ConditionAt(v, child(base, i)) for i, v in enumerate(listed)]


@node_check(
    "L327",
    "model-on-failing-branch",
    Severity.ERROR,
    kinds=(Kind.STEP,),
    step_types=("Condition",),
    summary="A model is registered or served in the branch that runs when its metric fails",
    basis=GATE_BASIS + "; metric direction by name (error-like lower, score-like higher)",
    rationale=(
        "A quality gate compares an evaluation metric with a threshold; the registration and "
        "deployment belong in the branch that runs when the metric is good. Whether a metric "
        "is good high or low follows from its name: error-like metrics (mse, rmse, mae, mape, "
        "loss, error, logloss) are better lower, score-like ones (accuracy, auc, f1, precision,"
        " recall, r2, ndcg, map) higher. A comparison in the wrong direction (`GreaterThan` on "
        "an mse), a `Not` too many, or swapped `IfSteps`/`ElseSteps` publish exactly the models "
        "that fail the gate. Metrics of unknown nature, `Equals` and `Or` are left alone; the "
        "ElseSteps are judged only when every condition compares a metric of known nature, "
        "and not where a Condition nested in them gates on a metric of its own."
    ),
    recommendation=(
        "Compare so that the condition holds on a good metric (`mse <= threshold`, "
        "`accuracy >= threshold`) and put the registration in `if_steps`, the FailStep in "
        "`else_steps`."
    ),
    example='{"Type": "GreaterThanOrEqualTo", "LeftValue": {"Std:JsonGet": {… "Path": '
    '"regression_metrics.mse.value"}}, "RightValue": 6.0} with RegisterModel in IfSteps',
    review=(
        "Corpus: 0 findings on 37 definitions. 13 of 44 Conditions read a step property; 12 "
        "compare a metric of known nature (mse 7, hamming_loss 2, rmse, auc_score, accuracy) in"
        " the right direction with the model steps in IfSteps; one reads a TrainingJobName and "
        "stays silent. Defect fixtures: a flipped comparison, swapped branches, a Not added, "
        "swapped operands, r2 compared like an error."
    ),
)
def model_on_failing_branch(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Conditions whose branch that runs on a failing metric registers or serves a model."""
    graph = context.graph
    reads = metric_reads(graph, node)
    if not reads:
        return
    gated = graph.memo("gated_step_keys", lambda: {step.key for step in gated_steps(graph)})
    verdicts = [(c, passes_on_good_metric(c, reads)) for c in _top_conditions(node)]
    in_if = [s for s in branch_steps(graph, node, Rel.IF_TRUE) if s.key in gated]
    in_else = [
        s
        for s in branch_steps(graph, node, Rel.IF_FALSE)
        if s.key in gated and not _regated(graph, s, node)
    ]
    failing = [c for c, good in verdicts if good is False]
    if failing and in_if:
        names = ", ".join(repr(s.get("name")) for s in in_if)
        yield Violation(
            node,
            f"condition of {describe(node)} holds when its metric is bad, and its IfSteps "
            f"({names}) register or serve the model that failed",
            child(failing[0].pointer, "Type"),
        )
    elif verdicts and all(good is True for _, good in verdicts) and in_else:
        names = ", ".join(repr(s.get("name")) for s in in_else)
        yield Violation(
            node,
            f"{describe(node)} holds when its metric is good, but its ElseSteps ({names}) "
            "register or serve the model when the metric fails",
            in_else[0].get("pointer"),
        )


def _regated(graph: LineageGraph, step: Node, outer: Node) -> bool:
    """Whether a Condition between `outer` and `step` reads a metric of its own (a fallback
    gate in the ElseSteps, such as a second metric that may still pass the model)."""
    for condition, _ in enclosing_branches(graph, step):
        if condition.key == outer.key:
            return False
        if metric_reads(graph, condition):
            return True
    return False


@node_check(
    "L329",
    "gate-without-metric",
    Severity.WARNING,
    kinds=(Kind.STEP,),
    step_types=("Condition",),
    absorbs=("L310",),
    summary="A Condition in front of a registration or deployment compares no metric",
    basis=GATE_BASIS,
    rationale=(
        "A Condition whose operands are only parameters, execution variables and literals "
        "decides the same way for every model the run trains: the registration or deployment "
        "behind it is not gated on the model's quality at all. Reported at the Condition, once,"
        " when no other Condition around the steps it guards reads a step's property; it "
        "stands for L310 on a registration among them. A parameter switch nested inside a "
        "metric gate is a valid design and stays quiet."
    ),
    recommendation=(
        "Compare the evaluation step's metric (`JsonGet` on its property file) with the "
        "threshold parameter, or nest this Condition inside such a gate."
    ),
    example='{"Type": "GreaterThanOrEqualTo", "LeftValue": {"Get": "Parameters.Accuracy"}, '
    '"RightValue": 0.8}',
    review=(
        "Corpus: 0 findings on 37 definitions; the 31 Conditions that compare only parameters "
        "(the airflow example's nested DummyConds) guard no registration or model step. Defect "
        "fixture: a gate rewired to compare its threshold parameter with a literal."
    ),
)
def gate_without_metric(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Conditions comparing no step property that are the innermost gate of model steps."""
    graph = context.graph
    if metric_reads(graph, node) or not _top_conditions(node):
        return
    guarded = [
        step
        for step in gated_steps(graph)
        if enclosing_branches(graph, step)
        and enclosing_branches(graph, step)[0][0].key == node.key
        and not metric_gated(graph, step)
    ]
    if not guarded:
        return
    registrations = [s for s in guarded if s.get("step_type") == "RegisterModel"]
    names = ", ".join(repr(s.get("name")) for s in guarded)
    yield Violation(
        (registrations or guarded)[0],
        f"{describe(node)} guards {names} but compares only parameters or literals: no "
        "evaluation metric decides whether the model is published",
        child(child(node.get("pointer"), "Arguments"), "Conditions"),
    )


@graph_rule(
    "L328",
    "condition-reads-own-branch",
    Severity.ERROR,
    applies_to="Condition steps (operands reading step properties)",
    summary="A condition reads a property of a step inside its own branches",
    basis=(
        "the Pipelines execution order: a ConditionStep runs before the steps of its IfSteps"
        " and ElseSteps"
    ),
    rationale=(
        "The steps in a Condition's `IfSteps` and `ElseSteps` run only after the condition "
        "was evaluated. A condition that reads a property (or a property file) of one of them "
        "asks for a value that cannot exist yet: SageMaker rejects the definition, or the "
        "gate waits on a step that waits on the gate."
    ),
    recommendation=(
        "Read the metric of the evaluation step that runs before the Condition; move that step "
        "out of the branches."
    ),
    example='Condition reads {"Get": "Steps.Evaluate.PropertyFiles.Report"}; Evaluate is in '
    "its IfSteps",
    message=lambda a: (
        f"condition step {a['step']!r} reads a property of step {a['target']!r}, which sits in "
        f"its own {a['branch']} and only runs after the condition is decided"
    ),
    review=(
        "Corpus: 0 findings; the 13 Conditions of the corpus that read a step property read "
        "one that runs before them. "
        "Defect fixture: the evaluation step moved into the gate's IfSteps."
    ),
)
def condition_reads_own_branch(context: CheckContext) -> Iterator[Violation]:
    """One finding per Condition and branch step it reads, at the first reading operand."""
    graph = context.graph
    for condition in graph.nodes(Kind.STEP):
        if condition.get("step_type") != "Condition":
            continue
        steps = pipeline_steps(graph, condition.get("pipeline"))
        first: dict[str, str] = {}
        for ref in graph.out(condition, Rel.USES):
            target = steps.get(str(ref.get("target_step")))
            if ref.get("root") == "Steps" and target is not None:
                pointer = str(ref.get("pointer"))
                first[target.key] = min(first.get(target.key, pointer), pointer)
        for key in sorted(first):
            target = graph.node(Kind.STEP, key)
            for around, branch in enclosing_branches(graph, target):
                if around.key == condition.key:
                    args = {
                        "step": condition.get("name"),
                        "target": target.get("name"),
                        "branch": BRANCH_FIELDS[branch],
                    }
                    yield violation("L328", condition, args, first[key])


def _gate_evaluators(graph: LineageGraph, step: Node) -> list[Node]:
    """The steps whose properties the Conditions around `step` read, in key order."""
    steps = pipeline_steps(graph, step.get("pipeline"))
    found = {
        steps[read.step].key: steps[read.step]
        for condition, _ in enclosing_branches(graph, step)
        for read in metric_reads(graph, condition)
        if read.step in steps
    }
    return [found[key] for key in sorted(found)]


@graph_rule(
    "L325",
    "gate-evaluated-other-model",
    Severity.ERROR,
    applies_to="Model, Transform and deploying Lambda steps behind a metric gate",
    absorbs=("L307",),
    summary="A model is served or transformed behind a gate that evaluated another model",
    basis=GATE_BASIS
    + "; model inputs of CreateModel, Transform and Lambda steps (botocore shapes)",
    rationale=(
        "The Condition in front of a Model, Transform or deploying Lambda step reads the metric"
        " of an evaluation step; that step evaluated the models it read (directly, or through "
        "the steps it reads data from). When none of them is the served model or a model it "
        "was made from, the gate passes on one model and ships another: a challenger is "
        "evaluated while the champion is deployed, or a Transform scores with a model created "
        "from an older artifact. Registrations are L309's. A served model no step of the "
        "pipeline produces (L307) is folded into this finding when the gate evaluated another."
    ),
    recommendation=(
        "Create, transform with and deploy the model the evaluation step read: pass the same "
        "`properties.ModelArtifacts.S3ModelArtifacts` (or the Model step built from it) to the "
        "evaluation and to the serving steps."
    ),
    example="Gate reads Evaluate (read Train's model); Transform uses a Model built from "
    "TrainChallenger's model",
    message=lambda a: (
        f"step {a['step']!r} serves {model_names(a['served'])}, but the gate in front of it "
        f"reads the metrics of step {a['evaluator']!r}, which evaluated "
        f"{model_names(a['evaluated'])}"
    ),
    review=(
        "Corpus: 0 findings; the 12 Model, Transform and deploying Lambda steps behind a metric "
        "gate serve the model their gate's evaluation read. Fixtures: evaluates_other_model "
        "(its Model and Transform serve the other model) and a Transform of a model other than "
        "the evaluated one."
    ),
)
def gate_evaluated_other_model(context: CheckContext) -> Iterator[Violation]:
    """One finding per serving step and evaluation step whose models share no lineage; a
    model that comes through a Model step behind the same gate is reported at that step."""
    graph = context.graph
    for step in gated_steps(graph):
        if step.get("step_type") in PUBLISHING:
            continue
        inputs = model_inputs(graph, step)
        for evaluator in _gate_evaluators(graph, step):
            own = [
                i
                for i in inputs
                if i.via is None
                or evaluator.key not in {e.key for e in _gate_evaluators(graph, i.via)}
            ]
            served = dict(sorted((i.model.key, i.model) for i in own))
            producers = [p for model in served.values() for p in graph.into(model, Rel.PRODUCES)]
            lineage = served.keys() | read_models(graph, producers).keys()
            evaluated = read_models(graph, [evaluator])
            if served and evaluated and not evaluated.keys() & lineage:
                args = {
                    "step": step.get("name"),
                    "evaluator": evaluator.get("name"),
                    "evaluated": model_args(graph, evaluated),
                    "served": model_args(graph, served),
                }
                yield violation("L325", step, args, own[0].pointer)


TRAINING = ("Training", "Tuning")


def _read_by_pipeline(graph: LineageGraph, step: Node) -> bool:
    """Whether another step of the pipeline reads an output or a property of `step`."""
    readers = [r for a in graph.out(step, Rel.PRODUCES) for r in graph.into(a, Rel.CONSUMES)]
    steps = pipeline_steps(graph, step.get("pipeline")).values()
    referencing = [
        x for x in steps if any(t.key == step.key for _, t in referenced_steps(graph, x))
    ]
    return any(reader.key != step.key for reader in readers + referencing)


@graph_rule(
    "L326",
    "ungated-model-serving",
    Severity.WARNING,
    applies_to="Transform steps whose output is a product, and deploying Lambda steps",
    summary="A model the pipeline trained is served with no Condition in front of it",
    basis=GATE_BASIS,
    rationale=(
        "A batch transform whose predictions leave the pipeline (no step reads them), or a "
        "Lambda step handed a model to deploy, at the top level of a pipeline puts every model"
        " the run trains into service, however bad: no evaluation metric is compared before "
        "it. A transform whose output another step reads is part of an evaluation and stays "
        "quiet, as do Model steps (they only create the model), registrations (L310) and steps"
        " under a Condition that compares only parameters (L329). When an ungated registration"
        " registers the same model, the pipeline has no gate at all and L310 (or L311) says "
        "so once."
    ),
    recommendation=(
        "Move the step into the `if_steps` of a ConditionStep that compares the evaluation "
        "step's metric with a threshold."
    ),
    example="Transform at the top level using Steps.CreateModel.ModelName, CreateModel reads "
    "Steps.Train.ModelArtifacts.S3ModelArtifacts",
    message=lambda a: (
        f"step {a['step']!r} serves {model_names(a['served'])}, trained in this run, and no "
        "Condition in front of it compares an evaluation metric"
    ),
    review=(
        "Corpus: 0 findings on 37 definitions. Of the 10 Model and Transform steps outside "
        "every Condition, the Model steps only create models, the transforms of the "
        "model-monitor example and the dynamic framework feed quality checks, and the "
        "inference pipelines serve a model a Lambda looked up or one named outside the "
        "pipeline."
    ),
)
def ungated_model_serving(context: CheckContext) -> Iterator[Violation]:
    """Product transforms and deploying Lambdas outside every Condition that serve a model
    a Training or Tuning step of the pipeline produced."""
    graph = context.graph
    for step in gated_steps(graph):
        if step.get("step_type") not in ("Transform", "Lambda") or enclosing_branches(graph, step):
            continue
        if step.get("step_type") == "Transform" and _read_by_pipeline(graph, step):
            continue
        trained = [
            i
            for i in model_inputs(graph, step)
            if any(p.get("step_type") in TRAINING for p in graph.into(i.model, Rel.PRODUCES))
        ]
        served = dict(sorted((i.model.key, i.model) for i in trained))
        if served and not served.keys() & _ungated_registered(graph, step.get("pipeline")):
            args = {"step": step.get("name"), "served": model_args(graph, served)}
            yield violation("L326", step, args, trained[0].pointer)


def _ungated_registered(graph: LineageGraph, pipeline: str) -> set[str]:
    """The models that registrations of the pipeline without a metric gate (L310) register."""
    return {
        edge.target.key
        for step in steps_of_type(graph, *PUBLISHING)
        if step.get("pipeline") == pipeline and not is_gated(graph, step)
        for edge in consumed(graph, step, "model")
    }
