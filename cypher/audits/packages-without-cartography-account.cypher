// Packages without Cartography data: live model packages in accounts Cartography has not synced
// Question: which accounts hold live model packages but have no Cartography data yet, so that
//   the audits joining both graphs (approved-models-on-public-data) cannot see their buckets?
//   Each live package is IN_ACCOUNT of its account's AWSAccount node (Cartography's, when it
//   has one); an account counts as synced when Cartography links at least one resource to it
//   (`RESOURCE`). Cartography may still know the account without syncing it, e.g. as the
//   foreign account of a role's trust policy: `known_to_cartography` says so.
// Parameters:
//   $group (string, default null): only packages of this model package group (its name).
// Returns: account, region, group, packages, approved, known_to_cartography
//   packages: how many versions of the group the registry scan read; approved: how many of
//   them are approved; known_to_cartography: whether Cartography wrote the account's node.
MATCH (pkg:ModelPackage)-[:IN_ACCOUNT]->(account:AWSAccount)
WHERE NOT EXISTS { (account)-[:RESOURCE]->() } AND ($group IS NULL OR pkg.group = $group)
RETURN account.id AS account, pkg.region AS region, pkg.group AS group, count(pkg) AS packages,
       count(CASE WHEN pkg.approval_status = 'Approved' THEN 1 END) AS approved,
       account.lastupdated IS NOT NULL AS known_to_cartography
ORDER BY account, region, group
