// Approved models on public data: approved packages trained on data in a bucket open to anyone
// Question: which approved model packages of the live registry were trained on data in an S3
//   bucket that Cartography marks as open to anonymous access? Follows each approved package to
//   the jobs that GENERATED it, the datasets they CONSUME and the bucket each one is IN_BUCKET
//   (the bucket of its literal s3:// URI), and keeps the buckets whose Cartography property
//   `anonymous_access` is true (a bucket policy or ACL lets anonymous users in; the actions they
//   get are in `anonymous_actions`). Only a database holding both graphs answers it: `lineage
//   scan --registry --neo4j` and Cartography's AWS sync of the buckets' account (a bucket
//   Cartography has not synced has no `anonymous_access`; audit
//   packages-without-cartography-account lists those accounts).
// Parameters:
//   $group (string, default null): only packages of this model package group (its name).
// Returns: group, version, package, job, dataset, bucket, anonymous_actions
//   package: the package's ARN; job: the job's name; dataset: the URI the job read; bucket: the
//   bucket's name; anonymous_actions: what anonymous users may do on it, as Cartography lists it.
MATCH (pkg:ModelPackage)-[:GENERATED_BY]->(job:Job)-[:CONSUMES]->(data:Artifact)
      -[:IN_BUCKET]->(bucket:S3Bucket)
WHERE pkg.arn IS NOT NULL AND pkg.approval_status = 'Approved'
  AND bucket.anonymous_access = true AND ($group IS NULL OR pkg.group = $group)
RETURN pkg.group AS group, pkg.version AS version, pkg.key AS package, job.name AS job,
       data.uri AS dataset, bucket.name AS bucket, bucket.anonymous_actions AS anonymous_actions
ORDER BY group, version, job, dataset
