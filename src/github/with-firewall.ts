import { createHash } from "node:crypto";
import type { ProbotOctokit } from "probot";
import { replyMarker } from "../record/markers.js";
import { renderTemplate, trusted } from "../render/templates.js";
import { EventScope, repoKey, runInScope, visibilityOf } from "./event-scope.js";
import { listComments } from "./issue-comments.js";
import { describeVisibility, type BlockDetail, type LeakBlocked } from "./leak-blocked.js";
import { installFirewall } from "./leak-firewall.js";
import { wasMadePublic } from "./made-public.js";
import { createOwnComment } from "./own-comment-create.js";
import { timed } from "../security/leak-secrets.js";
import type { Store } from "../store/store.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** The parts of Probot's context the firewall needs. */
export interface GuardedContext {
  name: string;
  payload: object;
  octokit: Octokit;
  log: { error: (fields: object, message: string) => void };
}

interface PayloadRepo {
  id?: number;
  owner?: { login?: string };
  name?: string;
  private?: boolean;
  visibility?: string;
}

interface PayloadIssue {
  number?: number;
  title?: string;
  body?: string | null;
  html_url?: string;
}

type Payload = { action?: string; repository?: PayloadRepo; issue?: PayloadIssue; repository_advisory?: { ghsa_id?: string; state?: string } };

/**
 * The event's own repository is as visible as its payload says: GitHub's word at the moment of the
 * event, good enough to spare a call — unless the repo has been made public since (`madePublic`,
 * see made-public.ts): then it is left unknown and the firewall asks GitHub before a write that
 * names a secret. On a private repo, the event's issue is a security issue (or harmless to
 * protect): its title, report and links are secrets from the start, whatever the repo is now.
 */
export function scopeForEvent(name: string, payload: object, madePublic = false): EventScope {
  const p = payload as Payload;
  const scope = new EventScope(p.action ? `${name}.${p.action}` : name);
  const advisory = p.repository_advisory;
  if (name === "repository_advisory" && advisory?.ghsa_id && advisory.state === "published") scope.advisoryPublished(advisory.ghsa_id);
  const repo = p.repository;
  if (!repo?.owner?.login || !repo.name) return scope;
  const visibility = visibilityOf(repo);
  if (typeof repo.id === "number") scope.repoIds.set(repoKey({ owner: repo.owner.login, repo: repo.name }), repo.id);
  if (!(madePublic && visibility === "private")) scope.setVisibility(repoKey({ owner: repo.owner.login, repo: repo.name }), visibility);
  if (visibility === "private" && p.issue?.number) {
    scope.addIssueTexts({ owner: repo.owner.login, repo: repo.name, issue_number: p.issue.number }, p.issue);
  }
  return scope;
}

/**
 * Only a payload that says private is doubted: one that says public or internal is scanned
 * anyway. One store read for such an event; no GitHub call unless the repo was made public since.
 */
async function payloadOutdated(store: Store | undefined, payload: object): Promise<boolean> {
  const repo = (payload as Payload).repository;
  if (!store || !repo || typeof repo.id !== "number" || visibilityOf(repo) !== "private") return false;
  return wasMadePublic(store, repo.id);
}

/** The app's own words for one table cell: kept as written (backticks too), unable to break the table. */
function cell(text: string) {
  return trusted(text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").replace(/</g, "&lt;"));
}

/** The `leak-blocked` template's view (also the CLI preview's sample). */
export function leakBlockedView(detail: BlockDetail, event: string) {
  return {
    request: cell(detail.request),
    target: cell(detail.target),
    visibility: cell(describeVisibility(detail.visibility)),
    place: cell(detail.place),
    rule: cell(detail.rule),
    event,
  };
}

function blockKey(block: LeakBlocked): string {
  const { request, target, place, rule } = block.detail;
  return createHash("sha256").update(JSON.stringify([request, target, place, rule])).digest("hex").slice(0, 16);
}

/** One reply per distinct block on the security issue (a redelivery finds it and stays quiet), and the log. */
async function reportBlocks(context: GuardedContext, scope: EventScope, botLogin: () => Promise<string>): Promise<void> {
  const seen = new Set<string>();
  for (const block of [...scope.blocks]) {
    const key = blockKey(block);
    if (seen.has(key)) continue;
    seen.add(key);
    const { detail } = block;
    context.log.error({ leak_firewall: { ...detail, event: scope.event } }, block.message);
    const issue = scope.issues.get(detail.issue);
    if (!issue) continue;
    try {
      const marker = replyMarker(`leak-blocked-${key}`);
      const login = await botLogin();
      const comments = await listComments(context.octokit, issue);
      if (comments.some((c) => c.login === login && c.body.includes(marker))) continue;
      const { text } = await renderTemplate("leak-blocked", leakBlockedView(detail, scope.event));
      await createOwnComment(context.octokit, issue, `${text}\n\n${marker}`, marker, login);
    } catch (error) {
      context.log.error({ err: error, leak_firewall: detail }, "leak firewall: could not post the block reply on the security issue");
    }
  }
}

/**
 * Runs one event's handler behind the leak firewall: its Octokit is wrapped, its scope carries
 * what it must not leak. A block fails the event with LeakBlocked, after the reply and the log.
 * `store` holds the repos made public (made-public.ts); without it the payload is believed.
 */
export async function withFirewall(context: GuardedContext, botLogin: () => Promise<string>, run: () => Promise<void>, store?: Store): Promise<void> {
  const madePublic = await payloadOutdated(store, context.payload);
  const scope = timed(() => {
    installFirewall(context.octokit);
    return scopeForEvent(context.name, context.payload, madePublic);
  });
  let failure: unknown;
  await runInScope(scope, async () => {
    try {
      await run();
    } catch (error) {
      failure = error;
    }
    if (scope.blocks.length) await reportBlocks(context, scope, botLogin);
  });
  if (failure !== undefined) throw failure;
  if (scope.blocks.length) throw scope.blocks[0];
}
