/**
 * The routes the lifecycle adds to the sweep's fake, answered as GitHub does: a comment read by id
 * (with its `issue_url`), files by branch with an ETag (304 to a matching If-None-Match), refs,
 * PRs the app opens, issues filtered by creator, and repository advisories (draft until published,
 * CVSS vector kept per version, `published_at` set on publishing).
 */
import { createHash } from "node:crypto";
import type { Reply } from "../sweep/fake-github.js";
import { API, BOT_LOGIN, commentJson, issueJson, pullJson, WEB } from "../sweep/fake-json.js";
import { INSTALLATION_ID } from "../helpers/app.js";
import { blobSha } from "../../src/github/conditional-read.js";
import type { LifecycleGitHub } from "./lifecycle-github.js";

export type ExtraRoute = [method: string, path: RegExp, handler: (params: string[], query: URLSearchParams, body: any) => Reply];

const notFound: Reply = [404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" }];
const sha = (text: string) => createHash("sha1").update(text).digest("hex");
const R = "^/repos/([^/]+)/([^/]+)";

export function lifecycleRoutes(fake: LifecycleGitHub): ExtraRoute[] {
  const repoOf = (o: string, r: string) => fake.repo(`${o}/${r}`);
  const defaultRef = (o: string, r: string) => fake.refs.get(`${o}/${r}:main`.toLowerCase()) ?? sha(`${o}/${r}`.toLowerCase());
  return [
    // The app is installed on every repo the fake knows (the CLI asks which installation).
    ["GET", new RegExp(`${R}/installation$`), ([o]) => [200, { id: INSTALLATION_ID, account: { login: o, id: 1, type: "Organization" }, app_id: 1, app_slug: "embargo", target_type: "Organization", permissions: { issues: "write" }, events: [], html_url: `${WEB}/organizations/${o}/settings/installations/${INSTALLATION_ID}`, repository_selection: "all" }]],
    [
      "GET",
      new RegExp(`${R}/issues/comments/(\\d+)$`),
      ([o, r, id]) => {
        const repo = repoOf(o!, r!);
        for (const i of repo.issues.values()) {
          const c = i.comments.find((x) => x.id === Number(id));
          if (c && !i.gone) return [200, commentJson(repo, i, c)];
        }
        return notFound;
      },
    ],
    [
      "GET",
      new RegExp(`${R}/issues$`),
      ([o, r], q) => {
        const repo = repoOf(o!, r!);
        const labels = (q.get("labels") ?? "").split(",").filter(Boolean).map((l) => l.toLowerCase());
        const state = q.get("state") ?? "open";
        const creator = q.get("creator")?.toLowerCase();
        const list = [...repo.issues.values()]
          .filter((i) => !i.gone && (state === "all" || i.state === state) && labels.every((l) => i.labels.some((x) => x.toLowerCase() === l)))
          .filter((i) => !creator || (i.author ?? "").toLowerCase() === creator)
          .sort((a, b) => b.number - a.number)
          .slice(0, Number(q.get("per_page") ?? 30));
        return [200, list.map((i) => issueJson(repo, i))];
      },
    ],
    [
      "GET",
      new RegExp(`${R}/contents/(.+)$`),
      ([o, r, path], q) => {
        const repo = repoOf(o!, r!);
        if (path === ".github/embargo.yml") {
          if (repo.config === undefined) return notFound;
          return [200, repo.config, { "content-type": "text/plain; charset=utf-8", etag: `"${sha(repo.config)}"` }];
        }
        // The folder as GitHub lists it: each file's git blob sha, an ETag that changes with them.
        if (path === ".github") {
          if (repo.config === undefined) return notFound;
          const entry = { type: "file", name: "embargo.yml", path: ".github/embargo.yml", sha: blobSha(repo.config), size: Buffer.byteLength(repo.config), url: `${API}/repos/${o}/${r}/contents/.github/embargo.yml` };
          return [200, [entry], { etag: `"${sha(entry.sha)}"` }];
        }
        const text = fake.file(`${o}/${r}`, q.get("ref") ?? "main", path!);
        if (text === undefined) return notFound;
        const name = path!.split("/").at(-1);
        return [200, { type: "file", name, path, sha: sha(text), size: text.length, encoding: "base64", content: Buffer.from(text).toString("base64"), url: `${API}/repos/${o}/${r}/contents/${path}` }, { etag: `"${sha(text)}"` }];
      },
    ],
    [
      "PUT",
      new RegExp(`${R}/contents/(.+)$`),
      ([o, r, path], _q, b) => {
        const branch = b.branch ?? "main";
        if (!fake.refs.has(`${o}/${r}:${branch}`.toLowerCase()) && branch !== "main") return [404, { message: "Branch not found" }];
        const old = fake.file(`${o}/${r}`, branch, path!);
        if (old !== undefined && b.sha !== sha(old)) return [409, { message: `${path} does not match ${b.sha}` }];
        if (old === undefined && b.sha) return [422, { message: "sha wasn't supplied" }];
        fake.file(`${o}/${r}`, branch, path!, Buffer.from(b.content, "base64").toString("utf8"));
        return [old === undefined ? 201 : 200, { content: { path, sha: sha(path!) }, commit: { sha: sha(`${branch}:${b.content}`) } }];
      },
    ],
    [
      "GET",
      new RegExp(`${R}/git/ref/(.+)$`),
      ([o, r, ref]) => {
        const branch = ref!.replace(/^heads\//, "");
        const s = branch === "main" ? defaultRef(o!, r!) : fake.refs.get(`${o}/${r}:${branch}`.toLowerCase());
        return s ? [200, { ref: `refs/heads/${branch}`, node_id: `REF_${branch}`, url: `${API}/repos/${o}/${r}/git/refs/heads/${branch}`, object: { sha: s, type: "commit", url: "" } }] : notFound;
      },
    ],
    [
      "POST",
      new RegExp(`${R}/git/refs$`),
      ([o, r], _q, b) => {
        const branch = String(b.ref).replace("refs/heads/", "");
        const key = `${o}/${r}:${branch}`.toLowerCase();
        if (fake.refs.has(key)) return [422, { message: "Reference already exists" }];
        fake.refs.set(key, b.sha);
        const base = fake.files.get(`${o}/${r}`.toLowerCase())?.get("main");
        for (const [path, text] of base ?? []) fake.file(`${o}/${r}`, branch, path, text);
        return [201, { ref: b.ref, node_id: `REF_${branch}`, url: "", object: { sha: b.sha, type: "commit", url: "" } }];
      },
    ],
    [
      "GET",
      new RegExp(`${R}/compare/([^.]+)\\.\\.\\.(.+)$`),
      ([o, r, , head]) => {
        // base...head as this fake keeps branches (files by branch): the files that differ from main's.
        const files = fake.files.get(`${o}/${r}`.toLowerCase());
        const base = files?.get("main") ?? new Map<string, string>();
        const branch = files?.get(head!) ?? base;
        const changed = [...new Set([...base.keys(), ...branch.keys()])].filter((p) => base.get(p) !== branch.get(p));
        return [200, { status: changed.length ? "ahead" : "identical", ahead_by: changed.length ? 1 : 0, behind_by: 0, total_commits: changed.length ? 1 : 0, commits: [], files: changed.map((filename) => ({ sha: sha(filename), filename, status: "modified", additions: 1, deletions: 0, changes: 1 })) }];
      },
    ],
    [
      "PATCH",
      new RegExp(`${R}/git/refs/(.+)$`),
      ([o, r, ref], _q, b) => {
        // Octokit sends `heads/<branch>` as one path segment (`heads%2F…`).
        const branch = ref!.replace(/^heads\//, "");
        const key = `${o}/${r}:${branch}`.toLowerCase();
        if (!fake.refs.has(key)) return [422, { message: "Reference does not exist" }];
        if (!b.force) return [422, { message: "Update is not a fast forward" }];
        fake.refs.set(key, b.sha);
        // Only the default branch's head is ever set here: the branch's files become its files.
        const base = fake.files.get(`${o}/${r}`.toLowerCase())?.get("main");
        fake.files.get(`${o}/${r}`.toLowerCase())?.delete(branch!);
        for (const [path, text] of base ?? []) fake.file(`${o}/${r}`, branch!, path, text);
        return [200, { ref: `refs/heads/${branch}`, node_id: `REF_${branch}`, url: "", object: { sha: b.sha, type: "commit", url: "" } }];
      },
    ],
    [
      "GET",
      new RegExp(`${R}/pulls$`),
      ([o, r], q) => {
        const repo = repoOf(o!, r!);
        const head = q.get("head")?.split(":")[1];
        const state = q.get("state") ?? "open";
        const list = [...repo.pulls.values()].filter((p) => (!head || p.head_ref === head) && (state === "all" || p.state === state));
        return [200, list.map((p) => pullJson(repo, p))];
      },
    ],
    [
      "POST",
      new RegExp(`${R}/pulls$`),
      ([o, r], _q, b) => {
        const repo = repoOf(o!, r!);
        if ([...repo.pulls.values()].some((p) => p.head_ref === b.head && p.state === "open")) return [422, { message: "Validation Failed", errors: [{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${o}:${b.head}.` }] }];
        const number = Math.max(0, ...repo.issues.keys(), ...repo.pulls.keys()) + 1;
        const head = fake.refs.get(`${o}/${r}:${b.head}`.toLowerCase()) ?? "0".repeat(40);
        const pull = fake.pull(`${o}/${r}`, number, { title: b.title, body: b.body ?? "", author: BOT_LOGIN, head_ref: b.head, base_ref: b.base, head_sha: head });
        fake.createdPulls.push({ repo: `${o}/${r}`, number, head: b.head, base: b.base, title: b.title });
        return [201, pullJson(repo, pull)];
      },
    ],
    [
      "POST",
      new RegExp(`${R}/pulls/(\\d+)/requested_reviewers$`),
      ([o, r, n], _q, b) => {
        const repo = repoOf(o!, r!);
        const p = repo.pulls.get(Number(n));
        if (!p) return notFound;
        const reviewers = (b.reviewers ?? []) as string[];
        if (reviewers.some((l) => !l || l.toLowerCase() === (p.author ?? "").toLowerCase())) {
          return [422, { message: "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the repository." }];
        }
        // GitHub keeps each reviewer once, however often they are asked.
        p.requested_reviewers = [...new Set([...p.requested_reviewers, ...reviewers])];
        p.requested_teams = [...new Set([...p.requested_teams, ...((b.team_reviewers ?? []) as string[])])];
        return [201, pullJson(repo, p)];
      },
    ],
    ["GET", new RegExp(`${R}/security-advisories$`), ([o, r], q) => [200, [...repoOf(o!, r!).advisories.values()].filter((a) => !q.get("state") || a.state === q.get("state"))]],
    [
      "POST",
      new RegExp(`${R}/security-advisories$`),
      ([o, r], _q, b) => {
        const repo = repoOf(o!, r!);
        const ghsa_id = `GHSA-${(1000 + repo.advisories.size).toString(36)}q-4q2w-9x8v`;
        const a: Record<string, any> = { ghsa_id, cve_id: null, state: "draft", published_at: null, html_url: `${WEB}/${o}/${r}/security/advisories/${ghsa_id}`, url: `${API}/repos/${o}/${r}/security-advisories/${ghsa_id}` };
        setAdvisoryFields(a, b);
        repo.advisories.set(ghsa_id, a);
        return [201, a];
      },
    ],
    [
      "GET",
      new RegExp(`${R}/security-advisories/([^/]+)$`),
      ([o, r, id]) => {
        const a = repoOf(o!, r!).advisories.get(id!);
        return a ? [200, a] : notFound;
      },
    ],
    [
      "PATCH",
      new RegExp(`${R}/security-advisories/([^/]+)$`),
      ([o, r, id], _q, b) => {
        const a = repoOf(o!, r!).advisories.get(id!);
        if (!a) return notFound;
        if (a.state === "published" && b.state && b.state !== "published") return [422, { message: "A published advisory cannot go back to draft" }];
        setAdvisoryFields(a, b);
        return [200, a];
      },
    ],
    [
      "POST",
      new RegExp(`${R}/security-advisories/([^/]+)/cve$`),
      ([o, r, id]) => {
        if (!repoOf(o!, r!).advisories.has(id!)) return notFound;
        fake.cveRequests.push(id!);
        return [202, {}];
      },
    ],
  ];
}

function setAdvisoryFields(a: Record<string, any>, b: any): void {
  for (const k of ["summary", "description", "severity", "cwe_ids", "vulnerabilities", "credits", "cve_id"]) if (k in b) a[k] = b[k];
  if ("cvss_vector_string" in b) {
    const v = b.cvss_vector_string as string | null;
    a.cvss_severities = { cvss_v3: v?.startsWith("CVSS:3") ? { vector_string: v, score: 9.8 } : null, cvss_v4: v?.startsWith("CVSS:4") ? { vector_string: v, score: 9.3 } : null };
  }
  if (b.state === "published" && a.state !== "published") {
    a.state = "published";
    a.published_at = "2026-12-20T12:00:00Z";
  } else if (b.state) a.state = b.state;
}

