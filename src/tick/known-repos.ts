/**
 * The security repos the tick visits, per installation, kept in memory: found once per
 * installation when the process starts (src/tick/discover-repos.ts), then added to whenever an
 * event writes a response, so each later tick costs nothing to find them.
 */
export class KnownRepos {
  readonly #repos = new Map<number, Set<string>>();
  readonly #discovered = new Set<number>();
  /** Each repo's id, as GitHub gave it with the name (a response's record and queue are keyed by it). */
  readonly #ids = new Map<string, number>();

  add(installationId: number, fullName: string, id?: number): void {
    const set = this.#repos.get(installationId) ?? new Set<string>();
    const name = fullName.toLowerCase();
    // A repo renamed or transferred since it was listed: its new name replaces the old one.
    if (id !== undefined) for (const other of set) if (other !== name && this.#ids.get(other) === id) set.delete(other);
    set.add(name);
    this.#repos.set(installationId, set);
    if (id !== undefined) this.#ids.set(name, id);
  }

  idOf(fullName: string): number | undefined {
    return this.#ids.get(fullName.toLowerCase());
  }

  /** Whether this installation was discovered already (an event's repo alone does not count). */
  has(installationId: number): boolean {
    return this.#discovered.has(installationId);
  }

  discovered(installationId: number, repos: (string | { full: string; id?: number })[]): void {
    this.#discovered.add(installationId);
    for (const repo of repos) typeof repo === "string" ? this.add(installationId, repo) : this.add(installationId, repo.full, repo.id);
  }

  repos(installationId: number): string[] {
    return [...(this.#repos.get(installationId) ?? [])].sort();
  }
}
