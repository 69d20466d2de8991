// Uniqueness constraints on every node kind's key (Neo4j Community supports these).
// Applied by `lineage scan --neo4j` before any MERGE; each statement is idempotent.
CREATE CONSTRAINT pipeline_key IF NOT EXISTS FOR (n:Pipeline) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT step_key IF NOT EXISTS FOR (n:Step) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT parameter_key IF NOT EXISTS FOR (n:Parameter) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT property_ref_key IF NOT EXISTS FOR (n:PropertyRef) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT artifact_key IF NOT EXISTS FOR (n:Artifact) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT model_package_group_key IF NOT EXISTS FOR (n:ModelPackageGroup) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT model_package_key IF NOT EXISTS FOR (n:ModelPackage) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT pipeline_execution_key IF NOT EXISTS FOR (n:PipelineExecution) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT job_key IF NOT EXISTS FOR (n:Job) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT finding_key IF NOT EXISTS FOR (n:Finding) REQUIRE n.key IS UNIQUE;
// Look-ups the rules and the scoped cleanup make.
CREATE INDEX step_pipeline IF NOT EXISTS FOR (n:Step) ON (n.pipeline);
CREATE INDEX property_ref_pipeline IF NOT EXISTS FOR (n:PropertyRef) ON (n.pipeline);
CREATE INDEX parameter_pipeline IF NOT EXISTS FOR (n:Parameter) ON (n.pipeline);
CREATE INDEX artifact_pipeline IF NOT EXISTS FOR (n:Artifact) ON (n.pipeline);
CREATE INDEX model_package_pipeline IF NOT EXISTS FOR (n:ModelPackage) ON (n.pipeline);
CREATE INDEX model_package_group_name IF NOT EXISTS FOR (n:ModelPackage) ON (n.group);
// The registry rules' scope: the live packages of one account and region.
CREATE INDEX model_package_registry IF NOT EXISTS FOR (n:ModelPackage) ON (n.account, n.region);
// L319's: the live packages of a registry that an execution step registered (no property read
// to tell them from the others).
CREATE INDEX model_package_registered IF NOT EXISTS
FOR (n:ModelPackage) ON (n.account, n.region, n.execution_step, n.arn);
CREATE INDEX artifact_uri IF NOT EXISTS FOR (n:Artifact) ON (n.uri);
CREATE INDEX finding_pipeline IF NOT EXISTS FOR (n:Finding) ON (n.pipeline_key);
// Cartography's keys (plain indexes, as Cartography creates them), for the MERGEs onto its nodes.
CREATE INDEX cartography_account_id IF NOT EXISTS FOR (n:AWSAccount) ON (n.id);
CREATE INDEX cartography_bucket_id IF NOT EXISTS FOR (n:S3Bucket) ON (n.id);
CREATE INDEX cartography_package_id IF NOT EXISTS FOR (n:AWSSageMakerModelPackage) ON (n.id);
CREATE INDEX cartography_group_id IF NOT EXISTS FOR (n:AWSSageMakerModelPackageGroup) ON (n.id);
CREATE INDEX cartography_training_job_id IF NOT EXISTS FOR (n:AWSSageMakerTrainingJob) ON (n.id);
CREATE INDEX cartography_transform_job_id IF NOT EXISTS FOR (n:AWSSageMakerTransformJob) ON (n.id);
