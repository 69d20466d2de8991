"""A Cartography-shaped AWS graph, written the way Cartography's sync writes it.

Labels, keys, properties and relationships follow Cartography's AWS schema page
(cartography-cncf/cartography, docs/root/modules/aws/schema.md: AWSAccount, S3Bucket, S3Acl,
S3PolicyStatement, AWSSageMakerModelPackageGroup, AWSSageMakerModelPackage,
AWSSageMakerTrainingJob). Like Cartography's loads, each node is MERGEd on its label and `id`
and stamped with `lastupdated` (the sync's update tag), as is every relationship."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

UPDATE_TAG = 1733300000
_ACCOUNT = (
    "MERGE (a:AWSAccount {id: $account}) ON CREATE SET a.firstseen = $tag "
    "SET a.name = $name, a.inscope = true, a.foreign = false, a.lastupdated = $tag"
)
_RESOURCE = (
    "WITH n MATCH (a:AWSAccount {id: $account}) MERGE (a)-[r:RESOURCE]->(n) "
    "ON CREATE SET r.firstseen = $tag SET r.lastupdated = $tag"
)
_BUCKET = (
    "MERGE (n:S3Bucket {id: $bucket}) ON CREATE SET n.firstseen = $tag "
    "SET n:ObjectStorage, n.name = $bucket, n.region = $region, n.arn = 'arn:aws:s3:::' + $bucket, "
    "n.anonymous_access = size($actions) > 0, n.anonymous_actions = $actions, "
    "n.lastupdated = $tag " + _RESOURCE
)
_POLICY_STATEMENT = (
    "MATCH (b:S3Bucket {id: $bucket}) "
    "MERGE (s:S3PolicyStatement {id: $bucket + '/policy_statement/1/PublicRead'}) "
    "SET s.effect = 'Allow', s.action = $actions, s.resource = ['arn:aws:s3:::' + $bucket + '/*'], "
    "s.sid = 'PublicRead', s.policy_version = '2012-10-17', s.lastupdated = $tag "
    "MERGE (b)-[r:POLICY_STATEMENT]->(s) SET r.lastupdated = $tag"
)
_ACL = (
    "MATCH (b:S3Bucket {id: $bucket}) MERGE (acl:S3Acl {id: $bucket + '/acl/owner'}) "
    "SET acl.permission = 'FULL_CONTROL', acl.type = 'CanonicalUser', acl.granteeid = $owner, "
    "acl.ownerid = $owner, acl.lastupdated = $tag "
    "MERGE (acl)-[r:APPLIES_TO]->(b) SET r.lastupdated = $tag"
)
_GROUP = (
    "MERGE (n:AWSSageMakerModelPackageGroup {id: $arn}) ON CREATE SET n.firstseen = $tag "
    "SET n.arn = $arn, n.model_package_group_name = $name, "
    "n.model_package_group_status = 'Completed', n.region = $region, n.lastupdated = $tag "
    + _RESOURCE
)
_PACKAGE = (
    "MERGE (n:AWSSageMakerModelPackage {id: $arn}) ON CREATE SET n.firstseen = $tag "
    "SET n.arn = $arn, n.model_package_name = $group, n.model_package_group_name = $group, "
    "n.model_package_version = $version, n.model_package_status = 'Completed', "
    "n.model_approval_status = $approval, n.model_artifacts_s3_bucket_id = $bucket, "
    "n.region = $region, n.lastupdated = $tag " + _RESOURCE + " "
    "WITH n MATCH (g:AWSSageMakerModelPackageGroup {model_package_group_name: $group}) "
    "MERGE (g)-[c:CONTAINS]->(n) SET c.lastupdated = $tag "
    "WITH n MATCH (b:S3Bucket {id: $bucket}) "
    "MERGE (n)-[x:REFERENCES_ARTIFACTS_IN]->(b) SET x.lastupdated = $tag"
)
_TRAINING_JOB = (
    "MERGE (n:AWSSageMakerTrainingJob {id: $arn}) ON CREATE SET n.firstseen = $tag "
    "SET n.arn = $arn, n.training_job_name = $name, n.training_job_status = 'Completed', "
    "n.input_data_s3_bucket_id = $input, n.output_data_s3_bucket_id = $output, "
    "n.region = $region, n.lastupdated = $tag " + _RESOURCE + " "
    "WITH n MATCH (i:S3Bucket {id: $input}) MERGE (n)-[r:READS_FROM]->(i) "
    "SET r.lastupdated = $tag "
    "WITH n MATCH (o:S3Bucket {id: $output}) MERGE (n)-[p:PRODUCES_MODEL_ARTIFACT]->(o) "
    "SET p.lastupdated = $tag"
)


@dataclass
class CartographySync:
    """What one Cartography AWS sync of an account and region found."""

    account: str
    region: str
    # bucket name -> the actions anonymous users may run on it (none: a private bucket)
    buckets: dict[str, list[str]] = field(default_factory=dict)
    # group ARN -> group name
    groups: dict[str, str] = field(default_factory=dict)
    # package ARN -> (group name, version, approval status, bucket of its model artifacts)
    packages: dict[str, tuple[str, int, str, str]] = field(default_factory=dict)
    # training job ARN -> (job name, input bucket, output bucket)
    training_jobs: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    def statements(self) -> list[tuple[str, dict[str, Any]]]:
        """The sync's queries with their parameters, in Cartography's order (account first)."""
        where = {"account": self.account, "region": self.region, "tag": UPDATE_TAG}
        found: list[tuple[str, dict[str, Any]]] = [(_ACCOUNT, {**where, "name": "ml-prod"})]
        for bucket, actions in self.buckets.items():
            params = {**where, "bucket": bucket, "actions": actions, "owner": "a1b2c3"}
            found.append((_BUCKET, params))
            found.append((_ACL, params))
            if actions:
                found.append((_POLICY_STATEMENT, params))
        for arn, name in self.groups.items():
            found.append((_GROUP, {**where, "arn": arn, "name": name}))
        for arn, (group, version, approval, bucket) in self.packages.items():
            params = {"arn": arn, "group": group, "version": version, "approval": approval}
            found.append((_PACKAGE, {**where, **params, "bucket": bucket}))
        for arn, (name, source, output) in self.training_jobs.items():
            params = {"arn": arn, "name": name, "input": source, "output": output}
            found.append((_TRAINING_JOB, {**where, **params}))
        return found

    def run(self, driver: Driver) -> None:
        """Write the sync into the test server's database."""
        for query, params in self.statements():
            driver.execute_query(query, params, database_="neo4j")
