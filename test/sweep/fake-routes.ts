/**
 * The REST and GraphQL routes the fake GitHub answers, each as GitHub would: 404 for what does not
 * exist, 410 for a deleted issue, 422 for a comment over the size limit or a reviewer who cannot be
 * asked, assignees silently dropped, GraphQL NOT_FOUND for a repository it cannot resolve.
 */
import type { FakeCheckRun, FakeComment, FakeGitHub, FakeIssue, FakePull, FakeRepo, Reply, Route } from "./fake-github.js";
import { INSTALLATION_ID } from "../helpers/app.js";
import { API, BOT_LOGIN, COMMENT_LIMIT, commentJson, FAKE_NOW as NOW, hash, issueJson, pullJson, repoJson, runJson, user, WEB } from "./fake-json.js";

export const notFound: Reply = [404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" }];

export function restRoutes(fake: FakeGitHub): Route[] {
  return [
    ["GET", /^\/app$/, () => [200, { id: 1, slug: "embargo", name: "embargo", owner: user("acme", "Organization") }]],
    [
      "POST",
      /^\/app\/installations\/(\d+)\/access_tokens$/,
      () => [201, { token: "ghs_fake_installation_token", expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: { issues: "write" }, repository_selection: "all" }],
    ],
    ["GET", /^\/repos\/([^/]+)\/([^/]+)$/, ([o, r]) => [200, repoJson(fake.repo(`${o}/${r}`))]],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/,
      ([o, r, p]) => {
        const repo = fake.repo(`${o}/${r}`);
        if (p === ".github/embargo.yml" && repo.config !== undefined) return [200, repo.config, { "content-type": "text/plain; charset=utf-8" }];
        return notFound;
      },
    ],
    // Issues and comments
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/issues$/,
      ([o, r], q) => {
        const repo = fake.repo(`${o}/${r}`);
        const labels = (q.get("labels") ?? "").split(",").filter(Boolean).map((l) => l.toLowerCase());
        const state = q.get("state") ?? "open";
        const list = [...repo.issues.values()]
          .filter((i) => !i.gone && (state === "all" || i.state === state) && labels.every((l) => i.labels.some((x) => x.toLowerCase() === l)))
          .sort((a, b) => b.number - a.number)
          .slice(0, Number(q.get("per_page") ?? 30));
        return [200, list.map((i) => issueJson(repo, i))];
      },
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/issues$/,
      ([o, r], _q, b) => {
        const repo = fake.repo(`${o}/${r}`);
        const number = Math.max(0, ...repo.issues.keys()) + 1;
        const issue = fake.issue(`${o}/${r}`, number, { title: b.title, body: b.body ?? "", author: BOT_LOGIN, labels: (b.labels ?? []).map((l: any) => (typeof l === "string" ? l : l.name)) });
        return [201, issueJson(repo, issue)];
      },
    ],
    ["GET", /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/, ([o, r, n]) => withIssue(fake, o!, r!, n!, (repo, i) => [200, issueJson(repo, i)], 410)],
    [
      "PATCH",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/,
      ([o, r, n], _q, b) =>
        withIssue(fake, o!, r!, n!, (repo, i) => {
          if (b.state) i.state = b.state;
          if (b.state_reason !== undefined) i.state_reason = b.state_reason;
          if (b.title !== undefined) i.title = b.title;
          if (b.body !== undefined) i.body = b.body;
          return [200, issueJson(repo, i)];
        }),
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
      ([o, r, n]) => withIssue(fake, o!, r!, n!, (repo, i) => [200, i.comments.map((c) => commentJson(repo, i, c))]),
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
      ([o, r, n], _q, b) =>
        withIssue(fake, o!, r!, n!, (repo, i) => {
          const tooBig = tooLong(b.body);
          if (tooBig) return tooBig;
          const c: FakeComment = { id: fake.nextId(), body: b.body, login: BOT_LOGIN, type: "Bot" };
          i.comments.push(c);
          return [201, commentJson(repo, i, c)];
        }),
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/,
      ([o, r, id]) => {
        const repo = fake.repo(`${o}/${r}`);
        for (const i of repo.issues.values()) {
          const c = i.comments.find((x) => x.id === Number(id));
          if (c && !i.gone) return [200, commentJson(repo, i, c)];
        }
        return notFound;
      },
    ],
    [
      "PATCH",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/,
      ([o, r, id], _q, b) => {
        const repo = fake.repo(`${o}/${r}`);
        for (const i of repo.issues.values()) {
          const c = i.comments.find((x) => x.id === Number(id));
          if (!c || i.gone) continue;
          const tooBig = tooLong(b.body);
          if (tooBig) return tooBig;
          c.body = b.body;
          return [200, commentJson(repo, i, c)];
        }
        return notFound;
      },
    ],
    ["POST", /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)\/reactions$/, (_p, _q, b) => [201, { id: fake.nextId(), content: b.content, user: user(BOT_LOGIN, "Bot"), created_at: NOW }]],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/labels$/,
      ([o, r, n], _q, b) =>
        withIssue(fake, o!, r!, n!, (repo, i) => {
          for (const l of (b.labels ?? []) as string[]) if (!i.labels.some((x) => x.toLowerCase() === l.toLowerCase())) i.labels.push(l);
          return [200, issueJson(repo, i).labels];
        }),
    ],
    [
      "DELETE",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/labels\/([^/]+)$/,
      ([o, r, n, name]) =>
        withIssue(fake, o!, r!, n!, (repo, i) => {
          const before = i.labels.length;
          i.labels = i.labels.filter((l) => l.toLowerCase() !== name!.toLowerCase());
          if (i.labels.length === before) return [404, { message: "Label does not exist" }];
          return [200, issueJson(repo, i).labels];
        }),
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/assignees$/,
      ([o, r, n], _q, b) =>
        withIssue(fake, o!, r!, n!, (repo, i) => {
          // GitHub answers 201 and silently drops people who cannot be assigned.
          for (const a of (b.assignees ?? []) as string[]) {
            const ok = repo.collaborators.has(a.toLowerCase()) || fake.isMember(a);
            if (ok && !i.assignees.some((x) => x.toLowerCase() === a.toLowerCase())) i.assignees.push(a);
          }
          return [201, issueJson(repo, i)];
        }),
    ],
    // Pull requests
    ["GET", /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/, ([o, r, n]) => withPull(fake, o!, r!, n!, (repo, p) => [200, pullJson(repo, p)])],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/reviews$/,
      ([o, r, n]) =>
        withPull(fake, o!, r!, n!, (repo, p) => [
          200,
          p.reviews.map((v) => ({ id: v.id, node_id: `PRR_${v.id}`, user: user(v.login), body: "", state: v.state, commit_id: v.commit_id, html_url: `${WEB}/${repo.owner}/${repo.name}/pull/${p.number}#pullrequestreview-${v.id}`, pull_request_url: "", author_association: "MEMBER", submitted_at: NOW })),
        ]),
    ],
    // The issue's events, read on a member's close for whether a closing keyword made it: the fake keeps only a closed
    // issue's close, at the fake's time (later than every example's): by hand, unless a test set the closing commit.
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/events$/,
      ([o, r, n]) =>
        withIssue(fake, o!, r!, n!, (_repo, i) => {
          const commit = i.close_commit ?? null;
          const close = { id: 1, node_id: "CE_1", event: "closed", created_at: NOW, actor: user(i.closed_by ?? "alice"), commit_id: commit, commit_url: commit ? `${API}/repos/${o}/${r}/commits/${commit}` : null };
          // Reopened since (by the app): its close is listed still, and the reopen after it.
          const reopen = { id: 2, node_id: "RE_2", event: "reopened", created_at: NOW, actor: user(BOT_LOGIN, "Bot"), commit_id: null, commit_url: null };
          // Reopened by a person, when a test says when: listed after the close.
          const byHand = { ...reopen, id: 3, node_id: "RE_3", created_at: i.reopened_at, actor: user("alice") };
          return [200, i.state === "closed" ? [close] : i.closed_by ? [close, reopen] : i.reopened_at ? [close, byHand] : []];
        }),
    ],
    // What the tick lists: the one installation, and the repositories it may see.
    ["GET", /^\/app\/installations$/, () => [200, [{ id: INSTALLATION_ID, account: user("acme", "Organization"), suspended_at: null }]]],
    [
      "GET",
      /^\/installation\/repositories$/,
      () => {
        const repositories = [...fake.state.repos.values()].filter((r) => !r.gone).map((r) => repoJson(r));
        return [200, { total_count: repositories.length, repositories }];
      },
    ],
    // The timeline, read for who dismissed a review: the fake keeps no dismissal's author, so it lists none (each dismissal then stands).
    ["GET", /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/timeline$/, ([o, r, n]) => withPull(fake, o!, r!, n!, () => [200, []])],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/commits$/,
      ([o, r, n]) => withPull(fake, o!, r!, n!, (_repo, p) => [200, p.commits.map((c) => ({ sha: c.sha, node_id: `C_${c.sha}`, commit: { message: c.message, author: { name: "dev", email: "dev@example.org", date: NOW } }, author: user(p.author), parents: [] }))]),
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/requested_reviewers$/,
      ([o, r, n], _q, b) =>
        withPull(fake, o!, r!, n!, (repo, p) => {
          const reviewers = (b.reviewers ?? []) as string[];
          if (reviewers.some((l) => !l || l.toLowerCase() === (p.author ?? "").toLowerCase())) {
            return [422, { message: "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the repository." }];
          }
          p.requested_reviewers.push(...reviewers);
          p.requested_teams.push(...((b.team_reviewers ?? []) as string[]));
          return [201, pullJson(repo, p)];
        }),
    ],
    // Check runs
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/check-runs$/,
      ([o, r, ref], q) => {
        const repo = fake.repo(`${o}/${r}`);
        const name = q.get("check_name");
        const runs = repo.checkRuns.filter((c) => c.head_sha === ref && (!name || c.name === name)).reverse();
        return [200, { total_count: runs.length, check_runs: runs.map((c) => runJson(repo, c)) }];
      },
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/,
      ([o, r], _q, b) => {
        const repo = fake.repo(`${o}/${r}`);
        const run: FakeCheckRun = { id: fake.nextId(), name: b.name, head_sha: b.head_sha, status: b.conclusion ? "completed" : (b.status ?? "queued"), conclusion: b.conclusion ?? null, external_id: b.external_id ?? null, title: b.output?.title ?? null, summary: b.output?.summary ?? null, app_id: 1 };
        repo.checkRuns.push(run);
        return [201, runJson(repo, run)];
      },
    ],
    [
      "PATCH",
      /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/,
      ([o, r, id], _q, b) => {
        const repo = fake.repo(`${o}/${r}`);
        const run = repo.checkRuns.find((c) => c.id === Number(id));
        if (!run) return notFound;
        if (b.status) run.status = b.status;
        if (b.conclusion) {
          run.conclusion = b.conclusion;
          run.status = "completed";
        } else if (b.status && b.status !== "completed") run.conclusion = null;
        if (b.external_id !== undefined) run.external_id = b.external_id;
        if (b.output) {
          run.title = b.output.title ?? run.title;
          run.summary = b.output.summary ?? run.summary;
        }
        return [200, runJson(repo, run)];
      },
    ],
    // People
    [
      "GET",
      /^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/,
      ([org, slug, login]) => {
        const members = fake.state.teams.get(`${org}/${slug}`.toLowerCase());
        if (!members || !members.some((m) => m.toLowerCase() === login!.toLowerCase())) return notFound;
        return [200, { url: "", role: "member", state: "active" }];
      },
    ],
    [
      "GET",
      /^\/orgs\/([^/]+)\/teams\/([^/]+)\/members$/,
      ([org, slug]) => {
        const members = fake.state.teams.get(`${org}/${slug}`.toLowerCase());
        return members ? [200, members.map((m) => user(m))] : notFound;
      },
    ],
    [
      "GET",
      /^\/orgs\/([^/]+)\/teams\/([^/]+)$/,
      ([org, slug]) => (fake.state.teams.has(`${org}/${slug}`.toLowerCase()) ? [200, { id: hash(slug!), node_id: `T_${slug}`, slug, name: slug, privacy: "closed", permission: "pull", organization: user(org!, "Organization") }] : notFound),
    ],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/,
      ([o, r, login]) => {
        const permission = fake.repo(`${o}/${r}`).collaborators.get(login!.toLowerCase());
        const legacy = permission === "maintain" ? "write" : permission === "triage" ? "read" : (permission ?? "none");
        return [200, { permission: legacy, role_name: permission ?? "none", user: user(login!) }];
      },
    ],
    // Repository security advisories (the /announce side)
    // `state` filters as GitHub's does: the tick lists only reports still in triage.
    ["GET", /^\/repos\/([^/]+)\/([^/]+)\/security-advisories$/, ([o, r], q) => [200, [...fake.repo(`${o}/${r}`).advisories.values()].filter((a) => !q.get("state") || a.state === q.get("state"))]],
    [
      "GET",
      /^\/repos\/([^/]+)\/([^/]+)\/security-advisories\/([^/]+)$/,
      ([o, r, id]) => {
        const a = fake.repo(`${o}/${r}`).advisories.get(id!);
        return a ? [200, a] : notFound;
      },
    ],
    [
      "POST",
      /^\/repos\/([^/]+)\/([^/]+)\/security-advisories$/,
      ([o, r], _q, b) => {
        const ghsa_id = `GHSA-fake-${fake.nextId()}-xxxx`;
        const a = { ...b, ghsa_id, state: "draft", html_url: `${WEB}/${o}/${r}/security/advisories/${ghsa_id}`, url: `${API}/repos/${o}/${r}/security-advisories/${ghsa_id}` };
        fake.repo(`${o}/${r}`).advisories.set(ghsa_id, a);
        return [201, a];
      },
    ],
    [
      "PATCH",
      /^\/repos\/([^/]+)\/([^/]+)\/security-advisories\/([^/]+)$/,
      ([o, r, id], _q, b) => {
        const a = fake.repo(`${o}/${r}`).advisories.get(id!);
        if (!a) return notFound;
        Object.assign(a, b);
        return [200, a];
      },
    ],
    ["POST", /^\/repos\/([^/]+)\/([^/]+)\/security-advisories\/([^/]+)\/cve$/, () => [202, {}]],
    ["POST", /^\/graphql$/, (_p, _q, b) => graphql(fake, b)],
  ];
}

function tooLong(body: unknown): Reply | undefined {
  if (typeof body === "string" && body.length > COMMENT_LIMIT) {
    return [422, { message: "Validation Failed", errors: [{ resource: "IssueComment", code: "unprocessable", field: "data", message: "Body is too long (maximum is 65536 characters)" }] }];
  }
  return undefined;
}

function withIssue(fake: FakeGitHub, o: string, r: string, n: string, fn: (repo: FakeRepo, issue: FakeIssue) => Reply, goneStatus = 404): Reply {
  const repo = fake.repo(`${o}/${r}`);
  const issue = repo.issues.get(Number(n)) ?? fake.issue(`${o}/${r}`, Number(n));
  if (issue.gone) return goneStatus === 410 ? [410, { message: "This issue was deleted" }] : notFound;
  return fn(repo, issue);
}

function withPull(fake: FakeGitHub, o: string, r: string, n: string, fn: (repo: FakeRepo, pull: FakePull) => Reply): Reply {
  const repo = fake.repo(`${o}/${r}`);
  const pull = repo.pulls.get(Number(n));
  return pull ? fn(repo, pull) : notFound;
}

function graphql(fake: FakeGitHub, b: { query?: string; variables?: Record<string, any> }): Reply {
  const query = b.query ?? "";
  const v = b.variables ?? {};
  if (/transferIssue/.test(query)) {
    const target = [...fake.state.repos.values()].find((r) => `R_${r.id}` === v.repo && !r.gone);
    const source = [...fake.state.repos.values()].flatMap((r) => [...r.issues.values()].map((i) => ({ r, i }))).find(({ r, i }) => `I_${r.name}_${i.number}` === v.issue);
    if (!target || !source) return [200, { data: { transferIssue: null }, errors: [{ type: "NOT_FOUND", path: ["transferIssue"], message: "Could not resolve to a node with the global id." }] }];
    const number = Math.max(0, ...target.issues.keys()) + 1;
    fake.issue(`${target.owner}/${target.name}`, number, { title: source.i.title, body: source.i.body, author: source.i.author, labels: [] });
    source.i.gone = true;
    return [200, { data: { transferIssue: { issue: { number } } } }];
  }
  if (/repository\s*\(/.test(query) && typeof v.owner === "string" && typeof v.name === "string") {
    const repo = fake.state.repos.get(`${v.owner}/${v.name}`.toLowerCase());
    if (!repo || repo.gone) {
      return [200, { data: { repository: null }, errors: [{ type: "NOT_FOUND", path: ["repository"], locations: [{ line: 1, column: 40 }], message: `Could not resolve to a Repository with the name '${v.owner}/${v.name}'.` }] }];
    }
    return [200, { data: { repository: { id: `R_${repo.id}`, isPrivate: repo.private, nameWithOwner: `${repo.owner}/${repo.name}`, visibility: repo.private ? "PRIVATE" : "PUBLIC" } } }];
  }
  // The dashboard issue the tick opens is pinned; the fake keeps no pins.
  if (/pinIssue/.test(query) && typeof v.id === "string") return [200, { data: { pinIssue: { issue: { id: v.id } } } }];
  if (/userContentEdits/.test(query) && typeof v.id === "string") {
    // The fake keeps no edit history: a comment it knows was edited by nobody else; another node is unknown.
    const known = [...fake.state.repos.values()].some((r) => [...r.issues.values()].some((i) => i.comments.some((c) => `IC_${c.id}` === v.id)));
    return [200, { data: { node: known ? { userContentEdits: { totalCount: 0, nodes: [] } } : null } }];
  }
  fake.unknown.push(`POST /graphql ${query.slice(0, 120)}`);
  return [200, { data: null, errors: [{ message: "fake GitHub does not know this query" }] }];
}
