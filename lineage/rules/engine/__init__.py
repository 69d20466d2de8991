"""The rule machinery: the rule model, the rulebook, running rules, graph queries and argument
helpers shared by the rules."""
