import { parse as parseYaml } from "yaml";
import type { Probot } from "probot";
import { validateConfig } from "../../src/config/load-config.js";
import { DASHBOARD_LABEL } from "../../src/github/dashboard-issue.js";
import { newRecord, type ResponseRecord } from "../../src/record/response-record.js";
import { renderResponse } from "../../src/response/render-response.js";
import type { TickReport } from "../../src/tick/run-tick.js";
import type { Store } from "../../src/store/store.js";
import { BOT, commentList, createTestProbot, INSTALLATION_ID, SECURITY_REPO_ID, TEST_KEYS, type StoredComment } from "../helpers/app.js";
import { mockInstallationToken, type GitHubMock } from "../helpers/github-api.js";

export const CONFIG = "team: acme/security-team\nrelease_managers: [rm-alice]\n";
export const ISSUE_URL = "https://github.com/acme/security/issues/7";

export function configOf(yaml: string) {
  const result = validateConfig(parseYaml(yaml));
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.config;
}

export interface World {
  comments: StoredComment[];
  dashboard?: { number: number; body: string };
  posted: string[];
  deleted: number[];
  /** Issues the tick opened other than the dashboard (feed entries). */
  opened: { number: number; title: string; body: string; updated_at: string }[];
  tick: () => Promise<TickReport>;
}

/**
 * acme/security with one open response (#7) as GitHub would hold it, behind persistent routes
 * that keep state: the tick can run any number of times and the test reads what it left.
 */
export async function tickWorld(gh: GitHubMock, now: Date, record: Partial<ResponseRecord> = {}, yaml = CONFIG, withProbot = true, env?: NodeJS.ProcessEnv, issueOpen = true, store?: Store): Promise<World> {
  const config = configOf(yaml);
  const full = { ...newRecord(new Date("2026-11-20T09:30:00Z"), new Date("2026-11-20T09:30:00Z")), ...record };
  const body = await renderResponse(full, config, { title: "Report", reporter: "reporter" }, undefined, { keys: TEST_KEYS, issue: { owner: "acme", repo: "security", issue_number: 7 }, now });
  let nextId = 1000;
  const world: World = { comments: [{ id: 555, body, user: { login: BOT, type: "Bot" } }], posted: [], deleted: [], opened: [], tick: async () => ({}) as TickReport };
  const api = gh.api.persist();
  api.get("/app/installations").query(true).reply(200, [{ id: INSTALLATION_ID, account: { login: "acme" }, suspended_at: null }]);
  mockInstallationToken(api, INSTALLATION_ID);
  api.get("/app").reply(200, { id: 1, slug: "embargo", name: "embargo", owner: { login: "acme" } });
  api.get("/installation/repositories").query(true).reply(200, { total_count: 2, repositories: [{ id: SECURITY_REPO_ID, full_name: "acme/security", name: "security", owner: { login: "acme" }, private: true, visibility: "private" }, { id: 186853003, full_name: "acme/product", name: "product", owner: { login: "acme" }, private: false, visibility: "public" }] });
  api.get(`/repos/acme/security/contents/${encodeURIComponent(".github/embargo.yml")}`).reply(200, yaml, { "content-type": "text/plain; charset=utf-8" });
  api.get("/repos/acme/security/contents/.github").reply(404, { message: "Not Found" });
  const issue = { id: 7, node_id: "I_7", number: 7, title: "Report", html_url: ISSUE_URL, state: issueOpen ? "open" : "closed", user: { login: "reporter", id: 2, type: "User" }, labels: [{ name: "security" }, { name: `security: ${full.state}` }], assignees: [] };
  api.get("/repos/acme/security/issues").query(true).reply(200, (uri) => {
    const q = new URL(uri, "https://api.github.com").searchParams;
    if (q.get("labels") === DASHBOARD_LABEL) return world.dashboard ? [{ ...issue, id: 12, number: 12, node_id: "I_12", title: "Security response dashboard", body: world.dashboard.body, user: { login: BOT, id: 1, type: "Bot" }, labels: [{ name: DASHBOARD_LABEL }] }] : [];
    // The issues the tick opened for feed entries carry the label too: listed with every state, updated when opened (GitHub's `since`).
    const since = q.get("since");
    const feedIssues = q.get("state") !== "all" ? [] : world.opened.filter((o) => !since || o.updated_at >= since).map((o) => ({ ...issue, id: o.number, number: o.number, node_id: `I_${o.number}`, title: o.title, body: o.body, updated_at: o.updated_at, user: { login: BOT, id: 1, type: "Bot" } }));
    return [...(issueOpen || q.get("state") !== "open" ? [issue] : []), ...feedIssues];
  });
  // A closed #7 is not in the open list: the tick reads it alone (a dashboard row to revisit).
  if (!issueOpen) api.get("/repos/acme/security/issues/7").reply(200, issue);
  api.get("/repos/acme/security/issues/7/comments").query(true).reply(200, () => commentList(world.comments));
  // A response read by the id the app remembered (a sync after the first finds it so).
  api.get(/\/repos\/acme\/security\/issues\/comments\/\d+$/).reply((uri) => {
    const c = world.comments.find((x) => x.id === Number(uri.split("/").pop()));
    return c ? [200, { ...commentList([c])[0], issue_url: "https://api.github.com/repos/acme/security/issues/7" }] : [404, { message: "Not Found" }];
  });
  api.post("/repos/acme/security/issues/7/comments").reply(201, (_uri, b: any) => {
    const id = nextId++;
    world.comments.push({ id, body: b.body, user: { login: BOT, type: "Bot" } });
    world.posted.push(b.body);
    return { id, body: b.body, html_url: `${ISSUE_URL}#issuecomment-${id}` };
  });
  api.patch(/\/repos\/acme\/security\/issues\/comments\/\d+$/).reply(200, (uri, b: any) => {
    const id = Number(uri.split("/").pop());
    const c = world.comments.find((x) => x.id === id)!;
    c.body = b.body;
    return { id, body: b.body, html_url: `${ISSUE_URL}#issuecomment-${id}` };
  });
  api.delete(/\/repos\/acme\/security\/issues\/comments\/\d+$/).reply(204, (uri) => {
    const id = Number(uri.split("/").pop());
    world.deleted.push(id);
    world.comments = world.comments.filter((c) => c.id !== id);
    return "";
  });
  api.post("/repos/acme/security/issues/7/labels").reply(200, []);
  api.delete(/\/repos\/acme\/security\/issues\/7\/labels\/.+$/).reply(200, []);
  api.post("/repos/acme/security/issues").reply(201, (_uri, b: any) => {
    if (!(b.labels ?? []).includes(DASHBOARD_LABEL)) {
      // Another issue the tick opens (a CVE feed entry): kept apart from the dashboard.
      const number = 100 + world.opened.length;
      world.opened.push({ number, title: b.title, body: b.body, updated_at: now.toISOString() });
      return { ...issue, id: number, number, node_id: `I_${number}`, title: b.title, body: b.body };
    }
    world.dashboard = { number: 12, body: b.body };
    return { ...issue, id: 12, number: 12, node_id: "I_12", title: b.title, body: b.body };
  });
  api.patch("/repos/acme/security/issues/12").reply(200, (_uri, b: any) => {
    world.dashboard!.body = b.body;
    return { ...issue, number: 12 };
  });
  api.post("/graphql").reply(200, { data: { pinIssue: { issue: { id: "I_12" } } } });
  if (!withProbot) return world;
  let tick: (() => Promise<TickReport>) | undefined;
  const probot: Probot = createTestProbot(now, { onTick: (t) => (tick = t), ...(env ? { env } : {}), ...(store ? { store } : {}) });
  await probot.load(() => undefined);
  world.tick = async () => {
    const report = await tick!();
    if (report.failed.length) throw new Error(`the tick failed on ${report.failed.join(", ")}`);
    return report;
  };
  return world;
}

export const reminders = (world: World) => world.posted.filter((b) => b.includes("<!-- embargo:reply reminder-"));
