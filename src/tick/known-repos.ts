/**
 * The security repos the tick visits, per installation, kept in memory: found once per
 * installation when the process starts (src/tick/discover-repos.ts), then added to whenever an
 * event writes a response, so each later tick costs nothing to find them.
 */
export class KnownRepos {
  readonly #repos = new Map<number, Set<string>>();
  readonly #discovered = new Set<number>();

  add(installationId: number, fullName: string): void {
    const set = this.#repos.get(installationId) ?? new Set<string>();
    set.add(fullName.toLowerCase());
    this.#repos.set(installationId, set);
  }

  /** Whether this installation was discovered already (an event's repo alone does not count). */
  has(installationId: number): boolean {
    return this.#discovered.has(installationId);
  }

  discovered(installationId: number, fullNames: string[]): void {
    this.#discovered.add(installationId);
    for (const name of fullNames) this.add(installationId, name);
  }

  repos(installationId: number): string[] {
    return [...(this.#repos.get(installationId) ?? [])].sort();
  }
}
