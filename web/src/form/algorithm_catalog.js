// What the form offers per algorithm, from the two answers that describe them: the
// JSON Schema (/api/v1/ml/schema: each hyperparameter's type, range and default) and
// /api/v1/ml/algorithms (canonical names, aliases, tasks, and the order in which the
// hyperparameters matter). Alias hyperparameters (eta for learning_rate…) are left out:
// the form shows each setting once, under its canonical name.

function hyperparameterSchemas(schema, names) {
  for (const branch of schema.allOf || []) {
    const alg = branch.if && branch.if.properties && branch.if.properties.algorithm;
    if (alg && Array.isArray(alg.enum) && alg.enum.some((n) => names.includes(n))) {
      const then = branch.then || {};
      const hp = (then.properties && then.properties.hyperparameters) || {};
      return { properties: hp.properties || {}, tasks: (then.properties.task_type || {}).enum };
    }
  }
  return { properties: {}, tasks: undefined };
}

// → [{name, description, aliases, tasks, hyperparameters: [{name, schema}]}]
export function algorithmCatalog(schema, answer) {
  return (answer.algorithms || []).map((a) => {
    const names = [a.name, ...(a.aliases || [])];
    const { properties, tasks } = hyperparameterSchemas(schema, names);
    const declared = a.hyperparameters || [];
    const aliases = new Set(declared.flatMap((p) => p.aliases || []));
    const order = declared.map((p) => p.name).filter((n) => n in properties);
    const rest = Object.keys(properties).filter(
      (n) => !order.includes(n) && !aliases.has(n) && !/^Alias of /.test(properties[n].description || ""),
    );
    return {
      name: a.name,
      description: a.description || "",
      aliases: a.aliases || [],
      tasks: a.tasks || tasks || [],
      hyperparameters: [...order, ...rest].map((n) => ({ name: n, schema: properties[n] })),
    };
  });
}

// The canonical entry for a name or alias.
export function findAlgorithm(catalog, name) {
  return catalog.find((a) => a.name === name || a.aliases.includes(name)) || null;
}
