import { blobSha } from "../src/github/conditional-read.js";
import { BOT_LOGIN, type FakeApi, type FakeComment, type FakeIssue, type Reply } from "./fake-api.js";

/** The endpoints the app calls, answered from FakeApi's state (named by GitHub's operationIds). */
export function defineRoutes(api: FakeApi): void {
  const R = "/repos/:owner/:repo";
  const full = (g: Record<string, string>) => `${g.owner}/${g.repo}`;
  const issueOf = (g: Record<string, string>) => api.issues.get(api.key(full(g), g.n!));
  const userJson = (login: string) => ({ login, id: 1, type: login.endsWith("[bot]") ? "Bot" : "User" });
  const commentJson = (c: FakeComment) => {
    const [repo, n] = c.issue.split("#");
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `https://api.github.com/repos/${repo}/issues/comments/${c.id}`,
      html_url: `https://github.com/${repo}/issues/${n}#issuecomment-${c.id}`,
      issue_url: `https://api.github.com/repos/${repo}/issues/${n}`,
      body: c.body,
      user: userJson(c.user),
      created_at: "2026-11-20T10:00:00Z",
      updated_at: "2026-11-20T10:00:00Z",
      author_association: "MEMBER",
    };
  };
  const issueJson = (repo: string, n: number, i: FakeIssue) => ({
    id: n,
    node_id: `I_${n}`,
    number: n,
    title: i.title,
    body: i.body,
    state: i.state,
    html_url: `https://github.com/${repo}/${i.pull ? "pull" : "issues"}/${n}`,
    url: `https://api.github.com/repos/${repo}/issues/${n}`,
    user: userJson(i.user),
    labels: i.labels.map((name, k) => ({ id: k, name })),
    assignees: i.assignees.map((login) => userJson(login)),
    ...(i.pull ? { pull_request: { url: `https://api.github.com/repos/${repo}/pulls/${n}` } } : {}),
  });
  const repoJson = (g: Record<string, string>) => {
    const isPrivate = api.repo(full(g))?.private ?? false;
    return { name: g.repo, full_name: full(g), owner: userJson(g.owner!), private: isPrivate, visibility: isPrivate ? "private" : "public", default_branch: "main", html_url: `https://github.com/${full(g)}` };
  };
  const notFound: Reply = [404, { message: "Not Found" }];

  api.route("POST", "/app/installations/:id/access_tokens", "apps/create-installation-access-token", () => [
    201,
    { token: "ghs_fake", expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" },
  ]);
  api.route("GET", "/app", "apps/get-authenticated", () => [200, { id: 1, slug: "embargo", name: "embargo", owner: { login: "acme" } }]);
  api.route("GET", R, "repos/get", (g) => {
    const r = api.repo(full(g));
    return r ? [200, repoJson(g)] : notFound;
  });
  api.route("GET", `${R}/contents/(?<path>.+)`, "repos/get-content", (g) => {
    const r = api.repo(full(g));
    if (r?.config === undefined) return notFound;
    if (g.path === ".github/embargo.yml") return [200, r.config];
    // The folder as GitHub lists it: the config's git blob sha, which says whether it changed.
    if (g.path === ".github") return [200, [{ type: "file", name: "embargo.yml", path: ".github/embargo.yml", sha: blobSha(r.config), size: Buffer.byteLength(r.config) }]];
    return notFound;
  });
  api.route("GET", `${R}/collaborators/:user/permission`, "repos/get-collaborator-permission-level", (g) => [
    200,
    { permission: "read", role_name: "read", user: userJson(g.user!) },
  ]);

  api.route("GET", `${R}/issues/:n/comments`, "issues/list-comments", (g, _b, q, path) => {
    return api.page(api.commentsOn(api.key(full(g), g.n!)).map(commentJson), q, path);
  });
  api.route("GET", `${R}/issues/comments/:id`, "issues/get-comment", (g) => {
    const c = api.commentById.get(Number(g.id));
    return c ? [200, commentJson(c)] : notFound;
  });
  api.route("POST", `${R}/issues/:n/comments`, "issues/create-comment", (g, b) => [201, commentJson(api.addComment(api.key(full(g), g.n!), b.body, BOT_LOGIN))]);
  api.route("PATCH", `${R}/issues/comments/:id`, "issues/update-comment", (g, b) => {
    const c = api.commentById.get(Number(g.id));
    if (!c) return notFound;
    c.body = b.body;
    return [200, commentJson(c)];
  });
  api.route("DELETE", `${R}/issues/comments/:id`, "issues/delete-comment", (g) => {
    api.deleteComment(Number(g.id));
    return [204, null];
  });
  api.route("POST", `${R}/issues/comments/:id/reactions`, "reactions/create-for-issue-comment", (_g, b) => [201, { id: 1, content: b.content, user: userJson(BOT_LOGIN) }]);

  api.route("GET", `${R}/issues/:n`, "issues/get", (g) => {
    const i = issueOf(g);
    return i ? [200, issueJson(full(g), Number(g.n), i)] : notFound;
  });
  api.route("PATCH", `${R}/issues/:n`, "issues/update", (g, b) => {
    const i = issueOf(g);
    if (!i) return notFound;
    if (b.state) i.state = b.state;
    if (b.title) i.title = b.title;
    return [200, issueJson(full(g), Number(g.n), i)];
  });
  api.route("POST", `${R}/issues/:n/labels`, "issues/add-labels", (g, b) => {
    const i = issueOf(g);
    if (!i) return notFound;
    for (const l of b.labels ?? []) if (!i.labels.includes(l)) i.labels.push(l);
    return [200, i.labels.map((name) => ({ name }))];
  });
  api.route("DELETE", `${R}/issues/:n/labels/(?<name>.+)`, "issues/remove-label", (g) => {
    const i = issueOf(g);
    if (!i || !i.labels.includes(g.name!)) return notFound;
    i.labels = i.labels.filter((l) => l !== g.name);
    return [200, i.labels.map((name) => ({ name }))];
  });
  api.route("POST", `${R}/issues/:n/assignees`, "issues/add-assignees", (g, b) => {
    const i = issueOf(g);
    if (!i) return notFound;
    for (const a of b.assignees ?? []) if (!i.assignees.includes(a)) i.assignees.push(a);
    return [201, issueJson(full(g), Number(g.n), i)];
  });
  api.route("GET", `${R}/issues`, "issues/list-for-repo", (g, _b, q, path) => {
    const repo = full(g).toLowerCase();
    const own = [...api.issues].filter(([k]) => k.startsWith(`${repo}#`)).map(([k, i]) => issueJson(full(g), Number(k.split("#")[1]), i));
    const filler = Array.from({ length: api.repo(repo)?.filler ?? 0 }, (_, k) => ({ number: 10_000 + k, title: `#${k}`, state: "open", labels: [] }));
    return api.page([...own, ...filler], q, path);
  });

  api.route("GET", `${R}/pulls/:n`, "pulls/get", (g) => {
    const p = api.pulls.get(api.key(full(g), g.n!));
    if (!p) return notFound;
    return [
      200,
      {
        number: Number(g.n),
        title: p.title,
        body: p.body,
        state: p.state,
        merged: p.merged,
        draft: false,
        user: userJson(p.user),
        html_url: `https://github.com/${full(g)}/pull/${g.n}`,
        head: { sha: p.head, ref: "fix", repo: repoJson(g) },
        base: { sha: "b".repeat(40), ref: p.base, repo: repoJson(g) },
        labels: (api.issues.get(api.key(full(g), g.n!))?.labels ?? []).map((name, id) => ({ id, name })),
        requested_reviewers: (p.requested ?? []).map(userJson),
        requested_teams: [],
        commits: p.commits.length,
      },
    ];
  });
  api.route("GET", `${R}/pulls`, "pulls/list", (g, _b, q, path) => {
    const filler = Array.from({ length: api.repo(full(g))?.filler ?? 0 }, (_, k) => ({ number: 20_000 + k, title: `#${k}`, state: "open" }));
    return api.page(filler, q, path);
  });
  api.route("GET", `${R}/pulls/:n/reviews`, "pulls/list-reviews", (g, _b, q, path) => {
    const p = api.pulls.get(api.key(full(g), g.n!));
    return p ? api.page(p.reviews.map((r) => ({ ...r, user: userJson(r.user), body: "" })), q, path) : notFound;
  });
  api.route("GET", `${R}/pulls/:n/commits`, "pulls/list-commits", (g, _b, q, path) => {
    const p = api.pulls.get(api.key(full(g), g.n!));
    return p ? api.page(p.commits.map((c) => ({ sha: c.sha, commit: { message: c.message } })), q, path) : notFound;
  });
  api.route("POST", `${R}/pulls/:n/requested_reviewers`, "pulls/request-reviewers", (g, body: { reviewers?: string[] }) => {
    const p = api.pulls.get(api.key(full(g), g.n!));
    if (!p) return notFound;
    p.requested = [...new Set([...(p.requested ?? []), ...(body?.reviewers ?? [])])];
    return [201, {}];
  });

  const runJson = (r: FakeApi["checkRuns"][number]) => ({ ...r, app: { id: 1, slug: "embargo" } });
  api.route("GET", `${R}/commits/:ref/check-runs`, "checks/list-for-ref", (g, _b, q) => {
    const runs = api.checkRuns.filter((r) => r.repo === full(g).toLowerCase() && r.head_sha === g.ref && (!q.get("check_name") || r.name === q.get("check_name")));
    return [200, { total_count: runs.length, check_runs: runs.map(runJson) }];
  });
  api.route("POST", `${R}/check-runs`, "checks/create", (g, b) => {
    const run = { id: api.nextId++, repo: full(g).toLowerCase(), head_sha: b.head_sha, name: b.name, external_id: b.external_id ?? "", status: b.status ?? "queued", conclusion: b.conclusion ?? null, output: b.output ?? { title: null, summary: null } };
    api.checkRuns.push(run);
    return [201, runJson(run)];
  });
  api.route("PATCH", `${R}/check-runs/:id`, "checks/update", (g, b) => {
    const run = api.checkRuns.find((r) => r.id === Number(g.id));
    if (!run) return notFound;
    Object.assign(run, { status: b.status ?? run.status, conclusion: b.conclusion ?? run.conclusion, external_id: b.external_id ?? run.external_id, output: b.output ?? run.output });
    return [200, runJson(run)];
  });

  const team = (g: Record<string, string>) => api.teams.get(`${g.org}/${g.slug}`.toLowerCase());
  api.route("GET", "/orgs/:org/teams/:slug/memberships/:user", "teams/get-membership-for-user-in-org", (g) =>
    team(g)?.includes(g.user!) ? [200, { url: "", role: "member", state: "active" }] : notFound,
  );
  api.route("GET", "/orgs/:org/teams/:slug", "teams/get-by-name", (g) => (team(g) ? [200, { id: 9, slug: g.slug, name: g.slug }] : notFound));
  api.route("GET", "/orgs/:org/teams/:slug/members", "teams/list-members-in-org", (g, _b, q, path) => {
    const members = team(g);
    return members ? api.page(members.map(userJson), q, path) : notFound;
  });
}
