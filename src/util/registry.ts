/**
 * A list of definitions (orchestrator families, provider kinds, scorers) that a config's plugins extend:
 * the built-ins first, then each plugin's in load order. Adding the same definition again is a no-op (a
 * module is imported once per process, so two configs naming one plugin share it); another definition
 * under a known name is refused.
 */
export function openRegistry<T>(
  builtIns: readonly T[],
  nameOf: (definition: T) => string,
  what: string,
): { all: readonly T[]; add(definition: T): void } {
  const all = [...builtIns];
  return {
    all,
    add(definition) {
      const known = all.find((d) => nameOf(d) === nameOf(definition));
      if (known === definition) return;
      if (known) throw new Error(`${what} '${nameOf(definition)}' is already defined`);
      all.push(definition);
    },
  };
}
