"""Rules on secrets: each place where a secret was masked (`lineage.graph.secrets`) is reported
once, by the key it sits under and never by its value."""

from __future__ import annotations

from collections.abc import Iterator

from lineage.graph.lineage_graph import Kind, Node
from lineage.graph.secrets import SecretSite
from lineage.jsondoc.pointer import split, within
from lineage.rules.engine.arguments import VALUE_MAPS, arguments, describe, display_path
from lineage.rules.engine.model import CheckContext, Severity, Violation
from lineage.rules.engine.rulebook import node_check


def _in_value_map(pointer: str) -> bool:
    """Whether `pointer` is a value of an Environment or hyper-parameter map."""
    tokens = split(pointer)
    return len(tokens) >= 2 and tokens[-2] in VALUE_MAPS


def _parent(pointer: str) -> str:
    return pointer.rsplit("/", 1)[0]


def _container_read(site: SecretSite) -> str | None:
    """Where an environment or hyper-parameter value reads the parameter holding the site."""
    return next((p for p in site.read_at if _in_value_map(p)), None)


def _label(pointer: str) -> str:
    return "environment variable" if split(pointer)[-2] == "Environment" else "hyper-parameter"


@node_check(
    "L206",
    "secret-in-environment",
    Severity.ERROR,
    kinds=(Kind.STEP,),
    summary="A credential written into a container environment or hyper-parameter",
    rationale=(
        "Environment variables and hyper-parameters are stored in the pipeline definition, in "
        "every job and model description, and in the model registry, where anyone with read "
        "access to SageMaker sees them. An AWS access key id, or a literal value under a key "
        "named like a password, secret, token or API key, leaks that credential to all of them "
        "and cannot be rotated without re-registering the model. The finding names the key, "
        "never the value."
    ),
    recommendation=(
        "Remove the credential and rotate it. Give the execution role the permissions instead "
        "of access keys; read other secrets at run time from Secrets Manager (pass the secret's "
        "ARN or name, e.g. under `DB_SECRET_ARN`)."
    ),
    example='{"Environment": {"AWS_ACCESS_KEY_ID": "AKIA…", "AWS_SECRET_ACCESS_KEY": "…"}}',
    review=(
        "Fixtures: 4 findings, corpus: 0. They are the documented fake key pair in "
        "secret_in_env's model container and registration, and the message names only the keys. "
        "The corpus's env and hyper-parameter keys (publish_cloudwatch_metrics, sagemaker_*, …) "
        "stay quiet; tests cover tokenizer names and secret references."
    ),
    basis=(
        "AWS credential formats (access key ids, secret key names) in container environments "
        "and hyper-parameters"
    ),
)
def secret_in_environment(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Access key ids, and literal values under secret-named keys, in env and hyper-parameters."""
    step_pointer = str(node.get("pointer"))
    for site in node.get("secrets") or ():
        if within(site.pointer, step_pointer) and _in_value_map(site.pointer):
            value, via = site.pointer, ""
        else:
            read = _container_read(site)
            if read is None or not within(read, step_pointer):
                continue
            value, via = read, " through the default of the parameter it reads"
        yield Violation(
            node,
            f"{describe(node)}: {_label(value)} {split(value)[-1]!r} in "
            f"{display_path(node, _parent(value))} holds {site.what}{via}",
            site.pointer,
        )


@node_check(
    "L209",
    "secret-in-definition",
    Severity.ERROR,
    kinds=(Kind.STEP, Kind.PARAMETER, Kind.PIPELINE, Kind.MODEL_PACKAGE, Kind.MODEL_PACKAGE_GROUP),
    summary="A credential in a tag, metadata property, URI, parameter default or argument",
    rationale=(
        "Everything in a pipeline definition or a model package is readable by anyone who may "
        "describe it: tags, customer metadata properties, S3 and registry URIs, the defaults "
        "of parameters. A password in the userinfo of a URI (`s3://user:pass@…`), an AWS "
        "access key id, or a literal value under a name like password, secret, token or API "
        "key leaks that credential there. The container environments and hyper-parameters of "
        "steps are L206's; this rule reports every other place, model packages' containers "
        "included. The finding names the place, never the "
        "value, and every output of lineage shows the value masked."
    ),
    recommendation=(
        "Remove the credential and rotate it. Store it in Secrets Manager and pass the secret's "
        "ARN or name; give S3 and registry access through the execution role, not URI "
        "credentials."
    ),
    example='{"Tags": [{"Key": "db-password", "Value": "…"}]}',
    review=(
        "Corpus: 0 findings. Tests plant credentials in tags, customer metadata properties, URI "
        "userinfo, secret-named parameter defaults and model package records; a user name "
        "alone in a URI (`ssh://git@…`) and references to secrets stay quiet."
    ),
    basis=(
        "AWS credential formats (access key ids), URI userinfo (RFC 3986), and secret-like "
        "names of tags, metadata properties and parameters"
    ),
)
def secret_in_definition(node: Node, context: CheckContext) -> Iterator[Violation]:
    """Every masked secret of the node that is not in a container environment (L206)."""
    for site in node.get("secrets") or ():
        own = node.kind is Kind.PIPELINE or within(site.pointer, str(node.get("pointer") or ""))
        by_l206 = node.kind is Kind.STEP and _in_value_map(site.pointer)
        if not own or by_l206 or _container_read(site) is not None:
            continue
        name = f" {site.key!r}" if site.key else ""
        yield Violation(node, f"{_where(node, site.pointer)}{name} holds {site.what}", site.pointer)


NOUNS = {
    Kind.PIPELINE: "pipeline",
    Kind.MODEL_PACKAGE: "model package",
    Kind.MODEL_PACKAGE_GROUP: "model package group",
}


def _where(node: Node, pointer: str) -> str:
    """`Training step 'Train': Tags[0].Value`, `parameter 'DbPassword': default`."""
    if node.kind is Kind.STEP:
        inside = within(pointer, arguments(node).pointer)
        return f"{describe(node)}: {display_path(node, pointer) if inside else pointer}"
    if node.kind is Kind.PARAMETER:
        return f"parameter {node.get('name')!r}: default"
    return f"{NOUNS.get(node.kind, node.kind)} {node.get('name') or node.key!r}: {pointer}"
