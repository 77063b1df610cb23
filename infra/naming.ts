/** `search` -> `Search`, `dead-letter` -> `DeadLetter`: construct ids from catalog names. */
export function pascalCase(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());
}
