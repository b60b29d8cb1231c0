// JSON Pointers (RFC 6901), the paths the API's error details use: "/split/test_size".

export function parsePointer(pointer) {
  if (!pointer) return [];
  return pointer
    .split("/")
    .slice(1)
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function getAt(obj, pointer) {
  let at = obj;
  for (const key of parsePointer(pointer)) {
    if (at === null || typeof at !== "object" || !(key in at)) return undefined;
    at = at[key];
  }
  return at;
}

// Sets a value, making the objects on the way.
export function setAt(obj, pointer, value) {
  const keys = parsePointer(pointer);
  let at = obj;
  keys.slice(0, -1).forEach((k) => {
    if (at[k] === null || typeof at[k] !== "object") at[k] = {};
    at = at[k];
  });
  at[keys[keys.length - 1]] = value;
}

// Removes a value and the objects it leaves empty.
export function deleteAt(obj, pointer) {
  const keys = parsePointer(pointer);
  const trail = [obj];
  for (const k of keys.slice(0, -1)) {
    const next = trail[trail.length - 1][k];
    if (next === null || typeof next !== "object") return;
    trail.push(next);
  }
  delete trail[trail.length - 1][keys[keys.length - 1]];
  for (let i = trail.length - 1; i > 0; i--) {
    if (Object.keys(trail[i]).length) break;
    delete trail[i - 1][keys[i - 1]];
  }
}

// "/split/test_size" → "split.test_size", for data-testid names.
export function dotted(pointer) {
  return parsePointer(pointer).join(".");
}
