/**
 * The justified minimum of lifecycle L1 (issue 13): for each step, the calls it cannot do without,
 * each with its reason. This is a written-down claim, not a measurement: the writes users see, the
 * reads nothing else can replace, a read that keeps an event idempotent, and a read that keeps a
 * decision on current data (DESIGN.md, "Trust"; "Leaks"). The bench prints it beside what the app
 * does; the target is measured ≤ 1.1 × this. The once-per-process calls (installation token, the
 * app's identity) are outside every step, measured and minimal alike.
 *
 * `repos/get-content` is told apart by what it reads: (config) `.github/embargo.yml` or the listing
 * of the `.github` folder (which carries the config's blob sha and the overrides' tree sha), (file)
 * any other file. The template overrides are read by sha: `git/get-tree` (the `.github/embargo`
 * folder) and `git/get-blob` (each template).
 *
 * Assumed of a minimal app: it remembers its response comment's id (one read by id, the list only
 * when it moved), learns whether the config and the template overrides changed from one
 * conditional listing of `.github` (a 304 is still a call here) and reads either only when its sha
 * there changed, keeps the record's state current through `issues.closed/reopened`, and writes the
 * response once per event. PR events still read the issue once (PR_ISSUE below: the wording check
 * needs the issue's own addresses, and a response write its title, reporter and labels as they are
 * now).
 */
export type Why = "write" | "read" | "idempotency" | "trust" | "leaks";

export interface MinimalCall {
  op: string;
  why: Why;
  reason: string;
}

export interface MinimalStep {
  /** The L1 step's name as the driver reports it (test/lifecycle/lifecycle-l1.ts). */
  step: string;
  /** All the step's minimal calls (for a command, COMMAND_CALLS first). */
  calls: MinimalCall[];
  /** A command: COMMAND_CALLS are part of `calls`. */
  command?: boolean;
}

const call = (op: string, why: Why, reason: string): MinimalCall => ({ op, why, reason });

const SECURITY_CONFIG = call(
  "repos/get-content (config)",
  "trust",
  "the security repo's config (team, labels, components) decides who may act and what is written: read each event, conditionally: one listing of `.github` answers for the config (its blob sha) and the overrides",
);
const PRODUCT_CONFIG = call("repos/get-content (config)", "trust", "the product repo's own config (check name, PR labels, leak words): its `.github` listing (or, first seen, the file), conditionally");
const RESPONSE = call("issues/get-comment", "trust", "the response comment now: its record is the state, and people edit it (ticks); one read by remembered id");
const MEMBER = call("teams/get-membership-for-user-in-org", "trust", "is the command's author in the security team, now");
const ISSUE_NOW = call("issues/get", "trust", "the issue now (labels, state, assignees): the payload is a snapshot and the label writes depend on it");
const EYES = call("reactions/create-for-issue-comment", "write", "👀: the command was seen, before its work");
const THUMBS = call("reactions/create-for-issue-comment", "write", "👍: the command succeeded");
const UPDATE = call("issues/update-comment", "write", "the response comment, updated once");
const VISIBILITY = call("repos/get", "leaks", "from a product-repo event, the security repo is checked private (now) before embargoed text is written there");
const PR_ISSUE = call("issues/get", "trust", "the issue now: its own addresses (web and API, never built from a fixed host: GHES) are what the wording check looks for in the PR's text; its title, reporter and labels are what a response write renders and corrects (people edit them); its state shows a close whose event failed or was lost (closed while the record is open): that close is judged then, and only then are the issue's events read");
const GATE_RUN = call("checks/list-for-ref", "idempotency", "the app's own gate run on the head: it carries the sealed link (the only record of it on a public PR) and is updated, never duplicated");

/** What every command in the security issue needs, whatever it does. */
export const COMMAND_CALLS = [SECURITY_CONFIG, RESPONSE, MEMBER, ISSUE_NOW, EYES, UPDATE, THUMBS];

function command(step: string, extra: MinimalCall[] = []): MinimalStep {
  return { step, command: true, calls: [...COMMAND_CALLS, ...extra] };
}

const ANNOUNCE_COMMENTS = call(
  "issues/list-comments",
  "idempotency",
  "the response with every comment, instead of the response by id: announce work posts its replies and the pack before its one response write, so a redelivery must find them (the pack may come from an earlier `/announce`); one page",
);

/** An `/announce` command: the response comes with the comment list, which its work needs anyway. */
function announceCommand(step: string, extra: MinimalCall[]): MinimalStep {
  return { step, command: true, calls: [...COMMAND_CALLS.map((c) => (c === RESPONSE ? ANNOUNCE_COMMENTS : c)), ...extra] };
}

export const MINIMAL_L1: MinimalStep[] = [
  {
    step: "label security",
    calls: [
      { ...SECURITY_CONFIG, reason: "the security repo's config, seen for the first time (nothing is remembered yet): its text" },
      call("repos/get-content (config)", "read", "the `.github` listing: whether template overrides shape the response written now (and, from here on, the config's blob sha)"),
      call("issues/list-comments", "idempotency", "a redelivered label must find the response it posted (nothing is remembered yet for a new issue); one page"),
      call("issues/list-for-repo", "trust", "`triage_rotation`: the newest earlier response says whose turn it is (GitHub is the only store); one page"),
      call("issues/add-assignees", "write", "the on-call triager assigned"),
      call("issues/create-comment", "write", "the response comment"),
      call("issues/add-labels", "write", "the state label"),
    ],
  },
  command("/triage confirm", [call("issues/add-labels", "write", "`security: confirmed`"), call("issues/remove-label", "write", "`security: triage` removed")]),
  command("/triage cvss", [call("issues/add-labels", "write", "the severity label")]),
  command("/triage component"),
  command("/triage affects"),
  command("/triage fixed"),
  command("/triage cwe"),
  command("/triage summary"),
  command("/triage credit"),
  {
    step: "fix PR opened",
    calls: [
      { ...GATE_RUN, reason: "the app's own gate run on the head: the only place a link to a response is recorded on a public PR (none here: nothing about a response is read)" },
      call("repos/get-content (config)", "trust", "the product repo's config (whether every PR gets the gate, and its name), conditionally: only because the head has no run of the app's"),
      call("checks/create", "write", "the gate's passing run (no link): a required gate must be reported on every PR, or an ordinary PR can never merge"),
    ],
  },
  command("/triage pr", [
      call("pulls/get", "read", "the PR now (head, base repo's visibility, state): the command names only a number"),
      PRODUCT_CONFIG,
      GATE_RUN,
      call("pulls/list-reviews", "trust", "approvals already given decide the gate"),
      call("teams/get-membership-for-user-in-org", "trust", "reviewer candidate 1 (the triager): may only team members be counted as gatekeepers"),
      call("teams/get-membership-for-user-in-org", "trust", "reviewer candidate 2 (the component owner), the same"),
      call("pulls/list-commits", "leaks", "the PR's commit messages, checked for the vulnerability's words (public repo)"),
      call("issues/add-labels", "write", "the priority label on the PR"),
      call("pulls/request-reviewers", "write", "review requests"),
      call("checks/update", "write", "the PR's passing run becomes the gate, carrying the sealed link (updated, never a second run)"),
      call("issues/add-labels", "write", "`security: fixing`"),
      call("issues/remove-label", "write", "`security: confirmed` removed"),
    ]),
  {
    step: "fix PR pushed",
    calls: [
      PRODUCT_CONFIG,
      { ...GATE_RUN, reason: "the app's gate run on the new head: a redelivered push finds the run it created" },
      { ...GATE_RUN, why: "read", reason: "the gate run on the previous head (`before`): where the sealed link is" },
      SECURITY_CONFIG,
      RESPONSE,
      PR_ISSUE,
      call("pulls/list-commits", "leaks", "the new commits' messages, checked for the vulnerability's words"),
      call("checks/create", "write", "the gate run on the new head (pending), carrying the link forward"),
    ],
  },
  {
    step: "fix PR approved",
    calls: [
      PRODUCT_CONFIG,
      GATE_RUN,
      SECURITY_CONFIG,
      RESPONSE,
      PR_ISSUE,
      call("pulls/list-reviews", "trust", "the approvals on this head now (a review may have been dismissed)"),
      call("teams/get-membership-for-user-in-org", "trust", "is the approver in the security team, now"),
      call("checks/update", "write", "the gate passes"),
      VISIBILITY,
      { ...UPDATE, reason: "the response shows the PR approved" },
    ],
  },
  {
    step: "fix PR merged",
    calls: [
      PRODUCT_CONFIG,
      GATE_RUN,
      SECURITY_CONFIG,
      RESPONSE,
      PR_ISSUE,
      VISIBILITY,
      { ...UPDATE, reason: "the response: patched on the branch, ticked" },
      call("issues/add-labels", "write", "`security: fixed`"),
      call("issues/remove-label", "write", "`security: fixing` removed"),
    ],
  },
  announceCommand("/announce", [
      call("security-advisories/list-repository-advisories", "idempotency", "a draft made by an earlier run whose answer was lost is found by its hidden marker; one page"),
      call("security-advisories/create-repository-advisory", "write", "the draft advisory"),
      call("issues/create-comment", "write", "the reply naming the draft (a new comment notifies; an edit does not)"),
      call("issues/create-comment", "write", "the announcement pack"),
    ]),
  announceCommand("/announce publish", [
      call("security-advisories/get-repository-advisory", "trust", "the advisory now: published or edited by hand on GitHub"),
      call("security-advisories/update-repository-advisory", "write", "published, with any field that differs, in one PATCH"),
      call("pulls/list", "idempotency", "the changelog PR of an earlier run, by its head branch (the app's only: the name is predictable)"),
      call("repos/get", "read", "the product repo's default branch: the changelog PR's base (nothing in the event names it)"),
      call("git/get-ref", "read", "the default branch's head: the new branch's start"),
      call("git/create-ref", "write", "the disclosure branch (one there already, an earlier run's or someone else's, is answered 422 and set back to this head)"),
      call("repos/get-content (file)", "read", "CHANGES.md now (text and blob sha) to insert the entry"),
      call("repos/get-content (file)", "read", "NEWS.md now (absent: created)"),
      call("repos/create-or-update-file-contents", "write", "CHANGES.md"),
      call("repos/create-or-update-file-contents", "write", "NEWS.md"),
      call("pulls/create", "write", "the changelog PR"),
      call("issues/create-comment", "write", "the un-embargo steps"),
      call("repos/get-collaborator-permission-level", "trust", "can the reporter read this repo now (whether to tell them here)"),
      call("issues/create-comment", "write", "the reporter's reply (or where to find it)"),
      call("issues/add-labels", "write", "`security: announced`"),
      call("issues/remove-label", "write", "`security: fixed` removed"),
      call("issues/update", "write", "the issue closed"),
      call("issues/list-for-repo", "idempotency", "the process-review issue of an earlier run; one page"),
      call("issues/create", "write", "the process-review issue"),
      call("issues/update-comment", "write", "the announcement pack, with the published texts"),
    ]),
];

/** What the minimum leaves out that the app may call, and why it is not needed (the claim's other half). */
export const LEFT_OUT: Record<string, string[]> = {
  "every step": [
    "the config file and the template overrides (`git/get-tree` of `.github/embargo`, `git/get-blob` of each template): the `.github` listing carries their shas; each is read again only when its sha there changed",
    "the comment list to find the response: its id is remembered",
    "a second read of the comments, the issue or the config within one event",
  ],
  "fix PR opened": ["anything about a response: the run says nothing; a redelivery (or a later event on the same head) finds the run and reads nothing more, not even the config"],
  "/triage pr": ["`teams/get-by-name`: a 200 from one membership read already shows the team is readable", "a second response write: one write carries the link, the labels' state and the record"],
  "fix PR pushed": [
    "`pulls/list-reviews` and memberships: approvals are bound to the head they approved; a new head has none to judge",
    "`pulls/request-reviewers`: pending requests survive a push (the event lists them); only people who reviewed the old head need asking again (none in L1)",
    "the response write and the security repo's visibility read: only hidden data would change; the gate run on the new head is what stops a redelivery from asking twice, and the head's wording check is remembered in the store (content-addressed)",
  ],
  "fix PR approved": ["`pulls/list-commits`: the head's wording was checked when it was pushed (remembered per head)"],
  "fix PR merged": ["`pulls/list-reviews`, memberships, `pulls/list-commits`: a merged PR's gate no longer matters"],
  "/announce": [
    `\`issues/get-comment\`: the response comes with \`issues/list-comments\` (${ANNOUNCE_COMMENTS.why}: ${ANNOUNCE_COMMENTS.reason})`,
    "the response write before the work: the one write after it carries everything (a comment whose decision sent a chat message writes it first: nothing can find a sent message again)",
    "a second read of the issue or the comments for the announce work: it takes them from the command",
  ],
  "/announce publish": [
    "`issues/get-comment`: as for `/announce`, the comment list carries the response (and the replies a redelivery must find)",
    "a response write after each publish step: every step is found again on a re-run by the reads above (the advisory's state, the PR by its branch, the replies in the comments, the review issue in the list), so one write at the end is enough",
    "the advisory's fields in a PATCH of their own: the publishing PATCH carries the ones that differ",
    "a write for the chat message \"announced\": it is sent right before the one response write, which records it",
    "a write before the work for `--force`: the reason is decided again by a redelivery, and its reply is keyed by what was forced, not when",
  ],
};

export function minimalFor(step: string): MinimalStep | undefined {
  return MINIMAL_L1.find((m) => m.step === step);
}
