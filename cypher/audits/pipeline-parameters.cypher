// Pipeline parameters: each pipeline's parameters, their defaults and the steps that read them
// Question: which parameters does each pipeline declare, with which type, default and allowed
//   values, and which steps read them? A default is what every run gets unless it passes a value
//   (data locations, instance types, the approval status).
// Parameters:
//   $pipeline (string, default null): only this pipeline (its name).
// Returns: pipeline, parameter, type, default_value, enum_values, used_by
//   enum_values: the allowed values when the parameter declares them (as JSON text), or null;
//   used_by: the names of the steps that read the parameter, sorted.
MATCH (p:Pipeline)-[:HAS_PARAMETER]->(param:Parameter)
WHERE $pipeline IS NULL OR p.name = $pipeline
RETURN p.name AS pipeline, param.name AS parameter, param.param_type AS type,
       param.default AS default_value, param.enum_values AS enum_values,
       COLLECT {
         MATCH (s:Step)-[:USES]->(:PropertyRef)-[:RESOLVES_TO]->(param)
         RETURN DISTINCT s.name AS name ORDER BY name
       } AS used_by
ORDER BY pipeline, parameter
