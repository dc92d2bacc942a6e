import { AsyncLocalStorage } from "node:async_hooks";
import type { ResponseRecord } from "../record/response-record.js";
import { SecretSet, timed } from "../security/leak-secrets.js";
import { issueKey, type IssueRef } from "./issue-comments.js";
import { isReleased } from "./leak-allowlist.js";
import type { LeakBlocked } from "./leak-blocked.js";

/**
 * What one webhook event has touched, carried with AsyncLocalStorage so that the leak firewall,
 * deep in Octokit's request hook, knows the secrets of every response the event loaded without any
 * handler passing them along. Outside an event (no scope) the firewall has nothing to protect.
 */
export type Visibility = "private" | "public" | "internal" | "unknown";

/** A repository as GitHub describes it (a payload's, an API answer's): internal repos are read by the whole enterprise. */
export function visibilityOf(repo: { private?: boolean; visibility?: string }): Exclude<Visibility, "unknown"> {
  return repo.visibility === "internal" ? "internal" : repo.private ? "private" : "public";
}

export interface RepoRef {
  owner: string;
  repo: string;
}

export function repoKey(repo: RepoRef): string {
  return `${repo.owner}/${repo.repo}`.toLowerCase();
}

/** The issue's key, as every other part keys an issue. */
export const issueKeyOf = issueKey;

export interface IssueTexts {
  title?: string | null;
  body?: string | null;
  html_url?: string;
}

export class EventScope {
  readonly secrets = new SecretSet();
  /** Every write the firewall stopped in this event, in order. */
  readonly blocks: LeakBlocked[] = [];
  /** The security issues whose secrets are registered, by lower-case key. */
  readonly issues = new Map<string, IssueRef>();
  private ghsa = new Map<string, string>();
  /** GHSA ids GitHub's event says are published: their responses are released when loaded. */
  private publishedGhsa = new Set<string>();
  /** The issues whose response record the event loaded. */
  private responses = new Set<string>();
  /** Issues the event read before it knew them as responses: their texts wait for `addIssue`. */
  private unregistered = new Map<string, IssueTexts>();
  private known = new Map<string, Visibility>();
  /** GitHub's ids of repositories, by the name this event knows them by (its payload, a sealed link, a read). */
  readonly repoIds = new Map<string, number>();
  private reading = new Map<string, Promise<Visibility>>();

  constructor(readonly event: string) {}

  /** GitHub's word on a repo's visibility, from the event payload or a read earlier in the event. */
  knownVisibility(key: string): Visibility | undefined {
    return this.known.get(key);
  }

  setVisibility(key: string, visibility: Visibility): void {
    this.known.set(key, visibility);
  }

  /** Reads a visibility once per event, however many writes ask. */
  visibility(key: string, read: () => Promise<Visibility>): Promise<Visibility> {
    const known = this.known.get(key);
    if (known) return Promise.resolve(known);
    let pending = this.reading.get(key);
    if (!pending) {
      pending = read().then((v) => (this.known.set(key, v), v));
      this.reading.set(key, pending);
    }
    return pending;
  }

  /** The issue's reference and links (any host: the path form covers web and API URLs alike). */
  addIssue(issue: IssueRef, htmlUrl?: string): string {
    const key = issueKeyOf(issue);
    if (this.issues.has(key)) return key;
    this.issues.set(key, issue);
    const { owner, repo, issue_number: n } = issue;
    for (const form of [`${owner}/${repo}#${n}`, `${owner}/${repo}/issues/${n}`, `${owner}/${repo}/pull/${n}`, htmlUrl]) {
      this.secrets.add(key, "reference", form);
    }
    const read = this.unregistered.get(key);
    if (read) {
      this.unregistered.delete(key);
      this.addTexts(key, read);
    }
    return key;
  }

  /** The security issue's own texts: title, and the report (its body). */
  addIssueTexts(issue: IssueRef, texts: IssueTexts): void {
    this.addTexts(this.addIssue(issue, texts.html_url), texts);
  }

  /**
   * The issue as GitHub answered a read of it. A PR event reads the security issue before its
   * response (to know whether it is still open): its texts count once the response is loaded.
   */
  issueRead(issue: IssueRef, texts: IssueTexts): void {
    const key = issueKeyOf(issue);
    if (this.issues.has(key)) this.addIssueTexts(issue, texts);
    else this.unregistered.set(key, { title: texts.title, body: texts.body, html_url: texts.html_url });
  }

  private addTexts(key: string, texts: IssueTexts): void {
    this.secrets.add(key, "reference", texts.html_url);
    this.secrets.add(key, "title", texts.title ?? undefined);
    this.secrets.add(key, "report", texts.body ?? undefined);
  }

  addRecord(issue: IssueRef, record: ResponseRecord): void {
    const key = this.addIssue(issue);
    this.responses.add(key);
    if (isReleased(record) || (record.ghsa && this.publishedGhsa.has(record.ghsa.toLowerCase()))) {
      this.secrets.release(key);
      return;
    }
    this.secrets.add(key, "cve", record.cve);
    this.secrets.add(key, "ghsa", record.ghsa);
    this.secrets.add(key, "summary", record.summary);
    this.secrets.add(key, "description", record.description);
    if (record.ghsa) this.ghsa.set(record.ghsa.toLowerCase(), key);
  }

  /** A `repository_advisory.published` event: GitHub's word that this advisory is public. */
  advisoryPublished(ghsaId: string): void {
    this.publishedGhsa.add(ghsaId.toLowerCase());
    const key = this.ghsa.get(ghsaId.toLowerCase());
    if (key) this.secrets.release(key);
  }

  /**
   * This event disclosed the issue without an advisory (GHES has none): `/announce publish` passed
   * its gates and recorded step 1, which on GitHub.com is GitHub accepting the advisory's publication.
   */
  releaseIssue(issue: IssueRef): void {
    this.secrets.release(issueKeyOf(issue));
  }

  /**
   * GitHub accepted the advisory's publication: its issue is public from here on. An advisory the
   * event itself created is not in the record the event loaded; then the one response the event
   * loaded is the one published (a command acts on one issue).
   */
  releaseAdvisory(ghsaId: string): void {
    const key = this.ghsa.get(ghsaId.toLowerCase()) ?? (this.responses.size === 1 ? [...this.responses][0] : undefined);
    if (key) this.secrets.release(key);
  }
}

const storage = new AsyncLocalStorage<EventScope>();

export function currentScope(): EventScope | undefined {
  return storage.getStore();
}

export function runInScope<T>(scope: EventScope, fn: () => Promise<T>): Promise<T> {
  return storage.run(scope, fn);
}

/** Publish step 1 on a GitHub without advisories: the rest of the event may name the issue anywhere. */
export function releaseDisclosed(issue: IssueRef): void {
  storage.getStore()?.releaseIssue(issue);
}

/** `loadResponse`'s one line: the response it loaded becomes part of what the event must not leak. */
export function registerResponse(issue: IssueRef, record: ResponseRecord | undefined): void {
  const scope = storage.getStore();
  if (!scope) return;
  timed(() => (record ? scope.addRecord(issue, record) : scope.addIssue(issue)));
}
