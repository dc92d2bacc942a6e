import { describe, expect, it } from "vitest";
import { findReferences } from "../../src/pr/find-references.js";
import { findLeaks } from "../../src/pr/leak-check.js";
import { LinkSealer, parseIssueKey } from "../../src/pr/pr-link.js";
import { gateState, latestDismissed, reinstateDismissed } from "../../src/pr/review-gate.js";
import { combineDecisions } from "../../src/pr/combine-decisions.js";
import { reviewerCandidates, wantedReviewers } from "../../src/pr/pick-reviewers.js";
import { validateConfig } from "../../src/config/load-config.js";
import { newRecord } from "../../src/record/response-record.js";

function validate(raw: Record<string, unknown>) {
  const result = validateConfig(raw);
  if (!result.ok) throw new Error(result.problems.join());
  return result.config;
}

describe("sealed PR links", () => {
  it("round-trips and reveals nothing readable", () => {
    const sealer = new LinkSealer("secret");
    const token = sealer.seal("acme-corp/product-repo#42", "acme-corp/security-response#12");
    // Neither the token nor its decoded bytes carry the names. Long names: a short one ("acme")
    // turns up in random base64 now and then (a bare "12" can occur by chance in random bytes too).
    expect(token).not.toMatch(/acme-corp|security-response|product-repo/i);
    expect(Buffer.from(token.slice(3), "base64url").toString("latin1")).not.toMatch(/acme-corp|security-response|product-repo/i);
    expect(sealer.open(token, "acme-corp/product-repo#42")).toEqual(["acme-corp/security-response#12"]);
    expect(sealer.open(token, "ACME-Corp/Product-Repo#42")).toEqual(["acme-corp/security-response#12"]);
  });

  it("is bound to one PR in one repo: another PR, or the same number elsewhere, opens nothing", () => {
    const sealer = new LinkSealer("secret");
    const token = sealer.seal("acme/product#42", "acme/security#12");
    expect(sealer.open(token, "acme/product#43")).toEqual([]);
    expect(sealer.open(token, "fork/product#42")).toEqual([]);
  });

  it("a link sealed with the repository's id follows the repository through a rename or transfer, and no other repository's PR", () => {
    const sealer = new LinkSealer("secret");
    const token = sealer.seal({ key: "acme/product#42", repoId: 5 }, "acme/security#12");
    expect(sealer.open(token, { key: "acme/product-core#42", repoId: 5 })).toEqual(["acme/security#12"]);
    expect(sealer.open(token, { key: "other-org/product#42", repoId: 5 })).toEqual(["acme/security#12"]);
    // A new repository given the old name is another repository.
    expect(sealer.open(token, { key: "acme/product#42", repoId: 6 })).toEqual([]);
    expect(sealer.open(token, { key: "acme/product-core#43", repoId: 5 })).toEqual([]);
    expect(sealer.open(token, "acme/product#42")).toEqual(["acme/security#12"]);
  });

  it("holds several responses", () => {
    const sealer = new LinkSealer("secret");
    expect(sealer.open(sealer.seal("acme/product#42", ["acme/security#12", "acme/security#13"]), "acme/product#42")).toEqual(["acme/security#12", "acme/security#13"]);
  });

  it("opens nothing sealed with another key, tampered or foreign", () => {
    const token = new LinkSealer("a").seal("acme/product#42", "acme/security#12");
    expect(new LinkSealer("b").open(token, "acme/product#42")).toEqual([]);
    expect(new LinkSealer("a").open(`${token.slice(0, -2)}AA`, "acme/product#42")).toEqual([]);
    expect(new LinkSealer("a").open("ci-build-17", "acme/product#42")).toEqual([]);
    expect(new LinkSealer("a").open("e2.AAAA", "acme/product#42")).toEqual([]);
    expect(new LinkSealer("a").open(null, "acme/product#42")).toEqual([]);
  });

  it("parses issue keys", () => {
    expect(parseIssueKey("acme/security#12")).toEqual({ owner: "acme", repo: "security", issue_number: 12 });
    expect(parseIssueKey("nope")).toBeUndefined();
  });
});

describe("references in a private PR", () => {
  it("finds #n, owner/repo#n and the issue URL, and nothing else", () => {
    expect(findReferences("Fixes #12", "acme/security")).toEqual([12]);
    expect(findReferences("https://ghe.example.com/acme/security/issues/9", "acme/security", "https://ghe.example.com/acme/security")).toEqual([9]);
    expect(findReferences("https://github.com/acme/security/issues/9", "acme/security", "https://ghe.example.com/acme/security")).toEqual([]);
    expect(findReferences("see acme/security#7.", "acme/security")).toEqual([7]);
    expect(findReferences("https://github.com/acme/security/issues/9", "acme/security")).toEqual([9]);
    expect(findReferences("other/repo#5 and version 1.2#3 and abc#4", "acme/security")).toEqual([]);
  });

  it("considers every reference, in order, not only the first", () => {
    expect(findReferences("Follows up #3; fixes acme/security#7 and see #3 again", "acme/security")).toEqual([3, 7]);
  });
});

describe("leak check", () => {
  const secrets = { issueKey: "acme/security#12", cve: "CVE-2026-1234", words: ["vulnerability", "exploit"] };
  const clean = { title: "Tighten input handling", body: "Refactor.", branch: "fix-input", commits: [{ sha: "a".repeat(40), message: "Refactor parser" }] };

  it("passes a neutral PR", () => {
    expect(findLeaks(clean, secrets)).toEqual([]);
  });

  it("names the rule and the place, never the text", () => {
    const findings = findLeaks(
      {
        title: "Fix CVE-2026-1234",
        body: "Closes https://github.com/acme/security/issues/12",
        branch: "exploit-guard",
        commits: [{ sha: "abcdef1234567890", message: "Stop the vulnerability (acme/security#12)" }],
      },
      secrets,
    );
    expect(findings).toEqual([
      { rule: "names a CVE or GHSA id", place: "the title" },
      { rule: "points at the private tracking issue", place: "the description" },
      { rule: "uses a word from the configured list", place: "the branch name" },
      { rule: "points at the private tracking issue", place: "the message of commit abcdef1" },
      { rule: "uses a word from the configured list", place: "the message of commit abcdef1" },
    ]);
    for (const f of findings) expect(JSON.stringify(f)).not.toMatch(/CVE-2026|security#12|exploit|vulnerability/i);
  });

  it("catches any CVE or GHSA id, not only this issue's", () => {
    expect(findLeaks({ ...clean, title: "cve-2025-99999" }, secrets)).toHaveLength(1);
    expect(findLeaks({ ...clean, body: "GHSA-abcd-efgh-jkmp" }, { ...secrets, ghsa: "GHSA-abcd-efgh-jkmp" })).toHaveLength(1);
  });
});

describe("review gate", () => {
  const team = (l: string) => ["sec1", "sec2"].includes(l);
  it("is pending without a team approval of the head", () => {
    expect(gateState([], team, "h2")).toBe("pending");
    expect(gateState([{ login: "outsider", state: "APPROVED", commit_id: "h2" }], team, "h2")).toBe("pending");
    expect(gateState([{ login: "sec1", state: "APPROVED", commit_id: "h1" }], team, "h2")).toBe("pending");
  });
  it("opens on a team approval of the current head", () => {
    expect(gateState([{ login: "sec1", state: "APPROVED", commit_id: "h2" }], team, "h2")).toBe("approved");
  });
  it("stays failing while a team member's latest review requests changes", () => {
    const reviews = [
      { login: "sec1", state: "APPROVED", commit_id: "h2" },
      { login: "sec2", state: "CHANGES_REQUESTED", commit_id: "h2" },
      { login: "sec2", state: "COMMENTED", commit_id: "h2" },
    ];
    expect(gateState(reviews, team, "h2")).toBe("changes_requested");
    expect(gateState([...reviews, { login: "sec2", state: "APPROVED", commit_id: "h2" }], team, "h2")).toBe("approved");
    expect(gateState([...reviews.slice(1), { login: "sec2", state: "DISMISSED", commit_id: "h2" }], team, "h2")).toBe("pending");
  });
  it("a request for changes stands when someone outside the team dismissed it, and is lifted when a member did", () => {
    const reviews = [
      { id: 1, login: "sec1", state: "APPROVED", commit_id: "h2" },
      { id: 2, login: "sec2", state: "DISMISSED", commit_id: "h2" },
    ];
    expect(latestDismissed(reviews, team)).toBe(true);
    expect(latestDismissed([...reviews, { id: 3, login: "sec2", state: "APPROVED", commit_id: "h2" }], team)).toBe(false);
    const byDev = [{ review_id: 2, state: "changes_requested", by: "dev1" }];
    expect(gateState(reinstateDismissed(reviews, byDev, team), team, "h2")).toBe("changes_requested");
    expect(gateState(reinstateDismissed(reviews, [{ ...byDev[0]!, by: "sec1" }], team), team, "h2")).toBe("approved");
    // An approval dismissed (GitHub's own on a push, or anyone's) only takes an approval away.
    expect(gateState(reinstateDismissed(reviews, [{ ...byDev[0]!, state: "approved" }], team), team, "h2")).toBe("approved");
  });
  it("counts only approvals submitted after a retarget", () => {
    const approval = { login: "sec1", state: "APPROVED", commit_id: "h2", submitted_at: "2026-11-22T10:00:00Z" };
    expect(gateState([approval], team, "h2", "2026-11-22T11:00:00Z")).toBe("pending");
    expect(gateState([{ ...approval, submitted_at: "2026-11-22T11:00:01Z" }], team, "h2", "2026-11-22T11:00:00Z")).toBe("approved");
    expect(gateState([{ ...approval, submitted_at: null }], team, "h2", "2026-11-22T11:00:00Z")).toBe("pending");
  });
});

describe("a PR in several responses", () => {
  const waiting = { status: "completed" as const, conclusion: "action_required" as const, title: "Waiting for review", summary: "" };
  const released = { status: "completed" as const, conclusion: "neutral" as const, title: "No longer gated", summary: "" };
  const approved = { status: "completed" as const, conclusion: "success" as const, title: "Approved", summary: "" };
  const failed = { status: "completed" as const, conclusion: "failure" as const, title: "Changes requested", summary: "" };
  const d = (check: typeof waiting | typeof released | typeof approved | typeof failed, add: string[] = [], remove: string[] = []) => ({ addLabels: add, removeLabels: remove, reviewers: [], teamReviewers: [], check });

  it("opens only when every response is satisfied: the most blocking verdict wins", () => {
    expect(combineDecisions([d(released), d(waiting)]).check).toBe(waiting);
    expect(combineDecisions([d(approved), d(released)]).check).toBe(approved);
    expect(combineDecisions([d(approved), d(failed), d(waiting)]).check).toBe(failed);
    expect(combineDecisions([d(released), d(released)]).check.conclusion).toBe("neutral");
  });

  it("keeps a label one response releases while another still wants it", () => {
    const combined = combineDecisions([d(released, [], ["priority: high", "severity: low"]), d(waiting, ["Priority: High"])]);
    expect(combined.addLabels).toEqual(["Priority: High"]);
    expect(combined.removeLabels).toEqual(["severity: low"]);
  });
});

describe("reviewers by default", () => {
  const pr = { owner: "acme", repo: "product", number: 1, private: false, author: "dev1", base: "main", head_sha: "h", head_ref: "x", open: true, merged: false, labels: [], requested_reviewers: [], requested_teams: [], title: "", body: "" };
  const security = validate({ team: "acme/sec", components: { api: { owners: ["own1", "dev1"] } } });
  const prConfig = validate({});
  const record = { ...newRecord(new Date(), new Date()), triager: "tri1", experts: ["exp1", "TRI1"], components: ["api"] };

  it("owner, experts, component owners in order, deduplicated, never the author", () => {
    expect(reviewerCandidates(pr, record, security)).toEqual(["tri1", "exp1", "own1"]);
  });

  it("adds one team member when none of them may open the gate, and none when one may", () => {
    expect(wantedReviewers(pr, record, security, prConfig, { gatekeepers: [], pool: ["dev1", "sec1", "sec2"] }).reviewers).toEqual(["tri1", "exp1", "own1", "sec1"]);
    expect(wantedReviewers(pr, record, security, prConfig, { gatekeepers: ["tri1"], pool: ["sec1"] }).reviewers).toEqual(["tri1", "exp1", "own1"]);
  });

  it("with nobody to ask, up to max_reviewers team members", () => {
    const empty = { ...record, triager: undefined, experts: [], components: [] };
    expect(wantedReviewers(pr, empty, security, validate({ public_pr: { max_reviewers: 3 } }), { gatekeepers: [], pool: ["dev1", "a", "b", "c", "d"] }).reviewers).toEqual(["a", "b", "c"]);
  });
});
