import { INSTALLATION_ID } from "../helpers/app.js";
import { loadWebhookExample } from "../helpers/github-api.js";

/**
 * `repository_advisory.reported` as GitHub sends it. @octokit/webhooks-examples has no example of
 * this action, so it is built here from GitHub's documented shape (the repository and sender
 * from a real example) and validated in the tests against GitHub's schema for the event.
 */
export function reportedEvent(shape: { ghsa?: string; summary?: string; description?: string; author?: string; product?: string; vulnerabilities?: object[]; cwes?: { cwe_id: string; name: string }[]; cvss?: string } = {}) {
  const base = loadWebhookExample("issues", "opened");
  const [owner, name] = (shape.product ?? "acme/product").split("/") as [string, string];
  const repository = { ...base.repository, name, full_name: `${owner}/${name}`, private: false, visibility: "public", owner: { ...base.repository.owner, login: owner } };
  const ghsa = shape.ghsa ?? "GHSA-abcd-1234-wxyz";
  const author = { ...base.sender, login: shape.author ?? "finder", type: "User" };
  const repository_advisory = {
    ghsa_id: ghsa,
    cve_id: null,
    url: `https://api.github.com/repos/${owner}/${name}/security-advisories/${ghsa}`,
    html_url: `https://github.com/${owner}/${name}/security/advisories/${ghsa}`,
    summary: shape.summary ?? "Path traversal in upload handler",
    description: shape.description ?? "Uploading a file named ../../x writes outside the upload directory.",
    severity: "high",
    author,
    publisher: null,
    identifiers: [{ type: "GHSA", value: ghsa }],
    state: "triage",
    created_at: "2026-11-21T08:00:00Z",
    updated_at: "2026-11-21T08:00:00Z",
    published_at: null,
    closed_at: null,
    withdrawn_at: null,
    submission: { accepted: false },
    vulnerabilities: shape.vulnerabilities ?? [
      { package: { ecosystem: "npm", name: "acme-upload" }, vulnerable_version_range: "< 2.4.1", patched_versions: null, vulnerable_functions: [] },
    ],
    cvss: { vector_string: shape.cvss ?? "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", score: 9.1 },
    cvss_severities: null,
    cwes: shape.cwes ?? [{ cwe_id: "CWE-22", name: "Path Traversal" }],
    cwe_ids: (shape.cwes ?? [{ cwe_id: "CWE-22" }]).map((c) => c.cwe_id),
    credits: [{ login: author.login, type: "reporter" }],
    credits_detailed: [{ user: author, type: "reporter", state: "accepted" }],
    collaborating_users: null,
    collaborating_teams: null,
    private_fork: null,
  };
  const payload: any = {
    action: "reported",
    repository,
    repository_advisory,
    sender: author,
    installation: { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" },
  };
  return { id: `reported-${Math.random()}`, name: "repository_advisory" as const, payload };
}
