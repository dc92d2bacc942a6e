/**
 * Lifecycle L1 (issue 14): the `security` label → 8 `/triage` commands → a fix PR opened in the
 * product repo, linked by `/triage pr`, pushed, approved by a team member, merged → `/announce` →
 * `/announce publish` once the embargo has ended (the clock moves).
 *
 * Each step is what a person does on GitHub (the store changes first, as GitHub has applied it when
 * it delivers) and the one event GitHub sends for it. `runL1` drives the steps through one Probot
 * and returns, per step, the requests the app made; `endState` is what anyone could see on GitHub
 * afterwards. The fault tests and the benchmark reuse both.
 */
import type { Probot } from "probot";
import { createTestProbot, recordOf } from "../helpers/app.js";
import { mockGitHub, type GitHubMock } from "../helpers/github-api.js";
import type { AppOptions } from "../../src/index.js";
import { RESPONSE_MARKER } from "../../src/record/markers.js";
import { BOT_LOGIN } from "../sweep/fake-json.js";
import { commentEvent, issuesEvent, pullEvent, reviewEvent, subscribedExamples } from "../sweep/sweep-world.js";
import { LifecycleGitHub, type LoggedRequest } from "./lifecycle-github.js";
import { endState, type EndState } from "./end-state.js";

export { endState, type EndState } from "./end-state.js";

export const SECURITY = "acme/security";
export const PRODUCT = "acme/product";
export const ISSUE = 7;
export const FIX_PR = 42;
export const TITLE = "SQL injection in the login form";
export const REPORT = "The login form passes the user name to SQL unescaped.";
export const SUMMARY = "SQL injection in the login form of widget";
export const HEAD = "1111111111111111111111111111111111111111";
export const REPORTED_AT = "2026-11-20T09:30:00Z";
export const START = new Date("2026-11-22T12:00:00Z");
/** After the embargo end (critical: 15 days from confirming): the publish gate passes. */
export const AFTER_END = new Date("2026-12-20T12:00:00Z");
export const CVSS = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";

export const SECURITY_YAML = [
  "team: acme/sec",
  "triage_rotation: [sec1, alice]",
  "supported_branches: [main]",
  "components:",
  "  api: { repo: acme/product, owners: [owner1], package: { ecosystem: npm, name: widget } }",
  "",
].join("\n");
export const PRODUCT_YAML = "security_repo: acme/security\n";
export const CHANGES = "# Changes\n\n## Unreleased\n\n- Faster start-up\n\n## 1.3.0\n\n- First release\n";

/** The 8 triage commands, one comment each. */
export const TRIAGE = [
  "/triage confirm",
  `/triage cvss ${CVSS}`,
  "/triage component api",
  "/triage affects npm/widget >=1.0.0,<1.3.1",
  "/triage fixed npm/widget 1.3.1",
  "/triage cwe CWE-89",
  `/triage summary ${SUMMARY}`,
  "/triage credit @reporter finder",
];

/** One webhook delivery: a redelivery keeps the id and the payload (GitHub's snapshot). */
export interface Delivery {
  id: string;
  name: string;
  payload: any;
}

export interface Step {
  name: string;
  /** When the person acts (the app's clock during this step). */
  at: Date;
  /** Applies the person's action to the store and returns the event GitHub sends for it. */
  act(): Delivery;
}

export interface Clock {
  now: Date;
}

export interface L1World {
  gh: GitHubMock;
  fake: LifecycleGitHub;
  clock: Clock;
  probot: Probot;
  steps: Step[];
  /** Runs one delivery through Probot: undefined when the handlers succeeded, else what failed. */
  deliver(delivery: Delivery): Promise<string | undefined>;
}

/** Repos, team, people and the report, before anyone has done anything. */
export function seedL1(fake: LifecycleGitHub): void {
  const security = fake.repo(SECURITY, { private: true });
  security.config = SECURITY_YAML;
  security.collaborators.set("alice", "admin");
  security.collaborators.set("sec1", "maintain");
  const product = fake.repo(PRODUCT, { private: false });
  product.config = PRODUCT_YAML;
  product.collaborators.set("owner1", "write");
  product.collaborators.set("dev1", "write");
  fake.file(PRODUCT, "main", "CHANGES.md", CHANGES);
  fake.team("acme/sec", ["alice", "sec1"]);
  fake.issue(SECURITY, ISSUE, { title: TITLE, body: REPORT, author: "reporter", labels: [] });
}

const example = (label: string) => subscribedExamples().find((e) => e.label === label)!.payload;

/** The steps of L1, in order. Delivery ids are unique per step, as GitHub's are. */
export function stepsL1(fake: LifecycleGitHub): Step[] {
  let n = 0;
  const delivery = (name: string, payload: any): Delivery => ({ id: `l1-${++n}-${name}.${payload.action}`, name, payload });
  const comment = (body: string, at = START, author = "alice"): Step => ({
    name: body.split(" ").slice(0, 2).join(" "),
    at,
    act: () => delivery("issue_comment", commentEvent(example("issue_comment.created #1"), fake, SECURITY, ISSUE, body, author)),
  });
  return [
    {
      name: "label security",
      at: START,
      act: () => {
        const payload = issuesEvent(example("issues.labeled #1"), fake, SECURITY, ISSUE, "sec1");
        payload.issue.created_at = REPORTED_AT;
        return delivery("issues", payload);
      },
    },
    ...TRIAGE.map((c) => comment(c)),
    {
      name: "fix PR opened",
      at: START,
      act: () => {
        fake.pull(PRODUCT, FIX_PR, { title: "Tighten input handling", body: "Refactors the parser.", author: "dev1", head_sha: HEAD, head_ref: "tidy-parser", commits: [{ sha: HEAD, message: "Tighten input handling" }] });
        return delivery("pull_request", pullEvent(example("pull_request.opened #1"), fake, PRODUCT, FIX_PR, "dev1"));
      },
    },
    comment(`/triage pr ${PRODUCT}#${FIX_PR}`),
    { name: "fix PR pushed", at: START, act: () => delivery("pull_request", pullEvent(example("pull_request.synchronize #1"), fake, PRODUCT, FIX_PR, "dev1")) },
    { name: "fix PR approved", at: START, act: () => delivery("pull_request_review", reviewEvent(example("pull_request_review.submitted #1"), fake, PRODUCT, FIX_PR, "alice", "approved")) },
    {
      name: "fix PR merged",
      at: START,
      act: () => {
        fake.issue(PRODUCT, FIX_PR).state = "closed";
        return delivery("pull_request", pullEvent(example("pull_request.closed #1"), fake, PRODUCT, FIX_PR, "owner1", true));
      },
    },
    comment("/announce"),
    comment("/announce publish", AFTER_END),
  ];
}

let probots = 0;

/** A fresh GitHub (seeded), the L1 steps, one Probot whose clock the steps move (with Probot's retries when asked). */
export function l1World(options: { gh?: GitHubMock; app?: AppOptions; retries?: boolean } = {}): L1World {
  const gh = options.gh ?? mockGitHub();
  const fake = new LifecycleGitHub();
  seedL1(fake);
  fake.install(gh);
  const clock: Clock = { now: START };
  const probot = createTestProbot(START, { now: () => clock.now, ...options.app }, { retries: options.retries });
  const instance = ++probots;
  return {
    gh,
    fake,
    clock,
    probot,
    steps: stepsL1(fake),
    async deliver(d) {
      fake.beginDelivery(d.id);
      try {
        await probot.receive({ id: `${d.id}@${instance}`, name: d.name, payload: d.payload } as never);
        return undefined;
      } catch (error) {
        const inner = error instanceof AggregateError ? error.errors : [error];
        return inner.map((e: any) => `${e?.status ? `HTTP ${e.status} ` : ""}${e?.code ?? ""} ${e?.message ?? String(e)}`.trim()).join("; ");
      }
    },
  };
}

export interface StepReport {
  name: string;
  /** Deliveries of this step's event (more than 1 when a failed one was redelivered). */
  deliveries: number;
  /** What each failed delivery threw. */
  failures: string[];
  requests: { method: string; operation: string; status: number | "ECONNRESET"; fault: boolean }[];
}

export interface RunOptions {
  /** Redeliver a delivery whose handler failed, up to this many deliveries in all (GitHub's redelivery, by hand or API). */
  attempts?: number;
}

/** Runs every step once (redelivering failures when asked); throws when a step still fails. */
export async function runL1(world: L1World, options: RunOptions = {}): Promise<{ steps: StepReport[]; state: EndState }> {
  const steps: StepReport[] = [];
  for (const step of world.steps) {
    world.clock.now = step.at;
    const d = step.act();
    steps.push(await deliverUntilOk(world, step.name, d, options.attempts ?? 1));
  }
  return { steps, state: endState(world.fake) };
}

export async function deliverUntilOk(world: L1World, name: string, d: Delivery, attempts: number): Promise<StepReport> {
  const from = world.fake.mark();
  const failures: string[] = [];
  for (let i = 0; i < attempts; i++) {
    const failed = await world.deliver(d);
    if (!failed) break;
    failures.push(failed);
    if (i === attempts - 1) throw new Error(`step "${name}" still fails after ${attempts} deliveries:\n  ${failures.join("\n  ")}`);
  }
  return { name, deliveries: failures.length + 1, failures, requests: requestsSince(world.fake.log, from) };
}

function requestsSince(log: LoggedRequest[], from: number) {
  return log.slice(from).map((r) => ({ method: r.method, operation: r.operationId ?? r.path, status: r.status, fault: r.fault }));
}

/** The response comment's record on security#7. */
export function responseRecord(fake: LifecycleGitHub) {
  const c = fake.comments(SECURITY, ISSUE).find((x) => x.login === BOT_LOGIN && x.body.includes(RESPONSE_MARKER));
  return c ? recordOf(c.body, `${SECURITY}#${ISSUE}`) : undefined;
}
