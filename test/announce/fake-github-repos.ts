import { blobSha } from "../../src/github/conditional-read.js";
import { gitBlob, gitTree } from "../helpers/app.js";
import { sha, type FakeGitHub } from "./fake-github.js";
import { BOT, SECURITY_REPO_ID } from "../helpers/app.js";

/** GitHub's contents API sends a file's content only up to 1 MB. */
const LARGE_FILE = 1024 * 1024;

/** The product repo's side of the fake: contents, advisories, the repo, git refs and pulls. */
export function productRoutes(fake: FakeGitHub, R: string, full: (m: RegExpExecArray) => string): void {
    fake.route("GET", `${R}/contents/(?<path>.+)`, (m, _b, q) => {
      const repo = fake.repos.get(full(m).toLowerCase());
      const path = m.groups!.path!;
      if (path === ".github/embargo.yml" && repo?.config) return [200, repo.config, { "content-type": "text/plain; charset=utf-8" }];
      // The folder as GitHub lists it: the config's git blob sha says whether it changed.
      if (path === ".github" && repo?.config) {
        const overrides = repo.overrides ? [{ type: "dir", name: "embargo", path: ".github/embargo", sha: blobSha(JSON.stringify(repo.overrides)) }] : [];
        return [200, [{ type: "file", name: "embargo.yml", path: ".github/embargo.yml", sha: blobSha(repo.config), size: Buffer.byteLength(repo.config) }, ...overrides]];
      }
      const text = repo?.files[q.get("ref") ?? repo.default_branch]?.[path];
      if (text === undefined) return [404, { message: "Not Found" }];
      const bytes = Buffer.from(text, repo!.encodings?.[path] ?? "utf8");
      // GitHub sends a file over 1 MB without its content (encoding "none"): its blob carries it.
      if (bytes.length > LARGE_FILE) return [200, { type: "file", name: path, path, sha: sha(text), size: bytes.length, encoding: "none", content: "" }];
      return [200, { type: "file", name: path, path, sha: sha(text), encoding: "base64", content: bytes.toString("base64") }];
    });
    fake.route("GET", `${R}/git/trees/:sha`, (m) => {
      const overrides = fake.repos.get(full(m).toLowerCase())?.overrides;
      if (!overrides || blobSha(JSON.stringify(overrides)) !== m.groups!.sha) return [404, { message: "Not Found" }];
      return [200, gitTree(m.groups!.sha!, overrides)];
    });
    fake.route("GET", `${R}/git/blobs/:sha`, (m) => {
      const repo = fake.repos.get(full(m).toLowerCase());
      const override = Object.values(repo?.overrides ?? {}).find((t) => blobSha(t) === m.groups!.sha);
      if (override !== undefined) return [200, gitBlob(override)];
      const found = Object.values(repo?.files ?? {}).flatMap((files) => Object.entries(files)).find(([, t]) => sha(t) === m.groups!.sha);
      if (found === undefined) return [404, { message: "Not Found" }];
      const bytes = Buffer.from(found[1], repo!.encodings?.[found[0]] ?? "utf8");
      return [200, { sha: m.groups!.sha, node_id: `B_${m.groups!.sha}`, size: bytes.length, url: "", encoding: "base64", content: bytes.toString("base64") }];
    });
    fake.route("PUT", `${R}/contents/(?<path>.+)`, (m, b) => {
      const repo = fake.repos.get(full(m).toLowerCase())!;
      const files = (repo.files[b.branch] ??= { ...repo.files[repo.default_branch] });
      const old = files[m.groups!.path!];
      if (old !== undefined && b.sha !== sha(old)) return [409, { message: "sha does not match" }];
      files[m.groups!.path!] = Buffer.from(b.content, "base64").toString(repo.encodings?.[m.groups!.path!] ?? "utf8");
      return [old === undefined ? 201 : 200, { content: { path: m.groups!.path }, commit: { sha: "c0ffee" } }];
    });
    fake.route("GET", `${R}/security-advisories`, (m, _b, q) => {
      const list = fake.advisories.filter((a) => a.repo.toLowerCase() === full(m).toLowerCase() && (!q.get("state") || a.state === q.get("state")));
      return [200, list.map((a) => fake.advisoryJson(a))];
    });
    fake.route("POST", `${R}/security-advisories`, (m, b) => {
      const a: Record<string, any> = { repo: full(m), ghsa_id: `GHSA-${"abcdefghjmpq".slice(fake.advisories.length, fake.advisories.length + 4).padEnd(4, "x")}-4q2w-9x8v`, state: "draft", cve_id: null, published_at: null };
      fake.setAdvisoryFields(a, b);
      fake.advisories.push(a);
      return [201, fake.advisoryJson(a)];
    });
    fake.route("GET", `${R}/security-advisories/:ghsa`, (m) => {
      const a = fake.advisories.find((x) => x.ghsa_id === m.groups!.ghsa);
      return a ? [200, fake.advisoryJson(a)] : [404, { message: "Not Found" }];
    });
    fake.route("PATCH", `${R}/security-advisories/:ghsa`, (m, b) => {
      const a = fake.advisories.find((x) => x.ghsa_id === m.groups!.ghsa);
      if (!a) return [404, { message: "Not Found" }];
      fake.setAdvisoryFields(a, b);
      return [200, fake.advisoryJson(a)];
    });
    fake.route("POST", `${R}/security-advisories/:ghsa/cve`, (m) => {
      fake.cveRequests.push(m.groups!.ghsa!);
      return [202, {}];
    });
    fake.route("GET", R, (m) => {
      const repo = fake.repos.get(full(m).toLowerCase());
      // The ids the events give: acme/security's issue events come from GitHub's examples, acme/widget's advisory event says 2.
      const id = full(m).toLowerCase() === "acme/security" ? SECURITY_REPO_ID : 2;
      return repo ? [200, { id, name: m.groups!.repo, full_name: full(m), private: repo.private, default_branch: repo.default_branch }] : [404, { message: "Not Found" }];
    });
    fake.route("GET", `${R}/git/ref/heads/(?<branch>.+)`, (m) => {
      const s = fake.refs.get(`${full(m).toLowerCase()}:${m.groups!.branch}`);
      return s ? [200, { ref: `refs/heads/${m.groups!.branch}`, object: { sha: s, type: "commit" } }] : [404, { message: "Not Found" }];
    });
    fake.route("POST", `${R}/git/refs`, (m, b) => {
      const key = `${full(m).toLowerCase()}:${String(b.ref).replace("refs/heads/", "")}`;
      if (fake.refs.has(key)) return [422, { message: "Reference already exists" }];
      fake.refs.set(key, b.sha);
      const repo = fake.repos.get(full(m).toLowerCase())!;
      repo.files[String(b.ref).replace("refs/heads/", "")] = { ...repo.files[repo.default_branch] };
      return [201, { ref: b.ref, object: { sha: b.sha } }];
    });
    // base...head, as this fake keeps branches: files by branch, so the files that differ; one commit ahead when any do.
    fake.route("GET", `${R}/compare/(?<base>[^.]+)\\.\\.\\.(?<head>.+)`, (m) => {
      const repo = fake.repos.get(full(m).toLowerCase())!;
      const base = repo.files[repo.default_branch] ?? {};
      const head = repo.files[m.groups!.head!] ?? base;
      const changed = [...new Set([...Object.keys(base), ...Object.keys(head)])].filter((p) => base[p] !== head[p]);
      const behind = fake.refs.get(`${full(m).toLowerCase()}:${m.groups!.head}`) === "behind" ? 1 : 0;
      return [200, { status: changed.length ? "ahead" : behind ? "behind" : "identical", ahead_by: changed.length ? 1 : 0, behind_by: behind, total_commits: changed.length ? 1 : 0, commits: [], files: changed.map((filename) => ({ sha: sha(filename), filename, status: "modified", additions: 1, deletions: 0, changes: 1 })) }];
    });
    fake.route("PATCH", `${R}/git/refs/heads/(?<branch>.+)`, (m, b) => {
      const key = `${full(m).toLowerCase()}:${m.groups!.branch}`;
      if (!fake.refs.has(key)) return [422, { message: "Reference does not exist" }];
      if (!b.force) return [422, { message: "Update is not a fast forward" }];
      fake.refs.set(key, b.sha);
      // Only the default branch's head is ever set here: the branch's files become its files.
      const repo = fake.repos.get(full(m).toLowerCase())!;
      repo.files[m.groups!.branch!] = { ...repo.files[repo.default_branch] };
      return [200, { ref: `refs/heads/${m.groups!.branch}`, object: { sha: b.sha, type: "commit" } }];
    });
    fake.route("GET", `${R}/pulls`, (m, _b, q) => {
      const head = q.get("head")?.split(":")[1];
      return [200, fake.pulls.filter((p) => p.repo.toLowerCase() === full(m).toLowerCase() && (!head || p.head === head)).map((p) => ({ number: p.number, state: p.state, html_url: `${fake.web}/${p.repo}/pull/${p.number}`, user: { login: p.user ?? BOT, type: (p.user ?? BOT).endsWith("[bot]") ? "Bot" : "User" } }))];
    });
    fake.route("POST", `${R}/pulls`, (m, b) => {
      if (fake.pulls.some((p) => p.repo === full(m) && p.head === b.head && p.state === "open")) return [422, { message: "A pull request already exists" }];
      const p = { repo: full(m), number: fake.nextId++, head: b.head, base: b.base, title: b.title, body: b.body, state: "open" };
      fake.pulls.push(p);
      return [201, { number: p.number, html_url: `${fake.web}/${p.repo}/pull/${p.number}` }];
    });
}
