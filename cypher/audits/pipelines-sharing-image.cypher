// Pipelines sharing an image: container images that steps of several pipelines run
// Question: which container images (processing, training, serving) do steps of at least
//   $min_pipelines pipelines use, so that a vulnerable, retired or re-tagged image affects them
//   all? Images are the Artifact nodes of kind 'image' that steps CONSUME, keyed by their URI.
// Parameters:
//   $min_pipelines (integer, default 2): the fewest pipelines an image must be used by.
// Returns: image, framework, pipeline_count, pipelines, steps
//   framework: the framework the image's repository name names, or null; pipelines: their names,
//   sorted; steps: how many steps use the image. Most shared first.
MATCH (img:Artifact {artifact_kind: 'image'})<-[:CONSUMES]-(s:Step)<-[:HAS_STEP]-(p:Pipeline)
WITH img, p, count(DISTINCT s) AS steps
ORDER BY p.name
WITH img, collect(p.name) AS pipelines, sum(steps) AS steps
WHERE size(pipelines) >= $min_pipelines
RETURN img.uri AS image, img.framework AS framework, size(pipelines) AS pipeline_count,
       pipelines, steps
ORDER BY pipeline_count DESC, image
