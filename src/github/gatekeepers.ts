import type { ProbotOctokit } from "probot";
import type { EmbargoConfig } from "../config/config-schema.js";
import { teamMembership } from "./team-membership.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * Who may open a gate or link a PR by mentioning the issue: the people who may run commands in the
 * security repo (members of the configured team, or without one its admins and maintainers).
 * One call per person (whether they count: one membership check, never a listing of the team),
 * asked at most once per sync; a team that cannot be read is a problem to
 * report, never a silent "nobody".
 */
export class Gatekeepers {
  readonly #known = new Map<string, Promise<boolean>>();
  /** The team has answered once (a member, or found): a later 404 is "not a member", no second call. */
  #teamSeen = false;
  problem: string | undefined;

  constructor(
    private readonly octokit: Octokit,
    private readonly security: EmbargoConfig,
    private readonly securityRepo: { owner: string; repo: string },
  ) {}

  async is(login: string): Promise<boolean> {
    if (!login) return false;
    const key = login.toLowerCase();
    let answer = this.#known.get(key);
    if (!answer) {
      answer = this.#ask(login);
      this.#known.set(key, answer);
    }
    return answer;
  }

  /**
   * An answer the caller already has (a command's author, just allowed): no call for them, and a
   * team that said "member" has answered, so a later 404 is "not a member" at once — unless
   * `teamAnswered` is false: then a 404 still costs one read of the team, to tell a non-member
   * from a team that cannot be read (`problem`).
   */
  know(login: string, counts: boolean, teamAnswered = counts): void {
    this.#known.set(login.toLowerCase(), Promise.resolve(counts));
    if (teamAnswered) this.#teamSeen = true;
  }

  async #ask(login: string): Promise<boolean> {
    if (this.security.team) {
      if (this.problem) return false; // the team cannot be read: asking again would say the same
      const membership = await teamMembership(this.octokit, this.security.team, login, this.#teamSeen);
      if (!membership.ok) {
        this.problem = membership.problem;
        return false;
      }
      this.#teamSeen = true;
      return membership.member;
    }
    try {
      const { data } = await this.octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { ...this.securityRepo, username: login });
      return data.permission === "admin" || data.role_name === "admin" || data.role_name === "maintain";
    } catch (error) {
      if ((error as { status?: number }).status === 404) return false;
      throw error;
    }
  }

  /** Those of `logins` who count, in order. */
  async filter(logins: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const login of logins) if (await this.is(login)) out.push(login);
    return out;
  }
}
