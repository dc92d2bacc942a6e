import type { JSONSchemaType } from "ajv";

export type SeverityName = "critical" | "high" | "medium" | "low";

export interface ComponentConfig {
  repo?: string;
  owners: string[];
  package?: { ecosystem: string; name: string };
}

export interface PublicPrConfig {
  priority_label: string;
  check_name: string;
  review_team?: string;
  leak_words: string[];
  max_reviewers: number;
  /** A passing gate run on every other open PR, so that the gate can be a required check (README, "Making the gate required"). */
  gate_every_pr: boolean;
}

export interface EmbargoConfig {
  label: string;
  team?: string;
  release_managers: string[];
  triage_rotation: string[];
  embargo_days: Record<SeverityName, number>;
  supported_branches: string[];
  components: Record<string, ComponentConfig>;
  security_repo?: string;
  public_reports: "notice" | "transfer";
  report_instructions?: string;
  notify_team: boolean;
  public_pr: PublicPrConfig;
  checklist: ChecklistConfig;
  // /announce (issue 11)
  cna_org_id?: string;
  osv_prefix: string;
  changelog: { path: string; template: string }[];
  disclosure_branch: string;
  public_issue: boolean;
  // issue 12: intake, notifications, feeds
  incident_contacts: string[];
  notify: NotifyConfig;
  feeds: FeedConfig[];
  // Dashboard and reminders (issue 12)
  dashboard: DashboardConfig;
  reminders: RemindersConfig;
}

/** `dashboard`: the one pinned issue that lists every response (README, "Dashboard and reminders"). */
export interface DashboardConfig {
  enabled: boolean;
  title: string;
}

/** `reminders`: when the tick nudges (hours and days; README, "Dashboard and reminders"). */
export interface RemindersConfig {
  triage_hours: number;
  embargo_warning_days: number;
  review_hours: number;
}

/** `notify`: where chat messages go (the URL itself stays in the environment) and how much they say. */
export interface NotifyConfig {
  slack_webhook_env?: string;
  include_details: boolean;
}

/** One CVE feed (RSS or Atom) and the words an entry must contain to open a response. */
export interface FeedConfig {
  url: string;
  keywords?: string[];
}

/** `checklist`: items to leave out (by id) and the team's own items (README, "Checklist"). */
export interface ChecklistConfig {
  skip: string[];
  extra: { id: string; phase: "intake" | "triage" | "fix" | "release" | "disclosure" | "follow-up"; text: string }[];
}

// `description` is what an invalid value is told it must be (load-config.ts): one per kind of
// value, so two keys that share a pattern never share a wrong message.
const login = { type: "string", pattern: "^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$", description: "a GitHub login (letters, digits and single hyphens)" } as const;
const repoFullName = { type: "string", pattern: "^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", description: 'a repository as "owner/name"' } as const;
const teamName = { type: "string", pattern: "^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", description: 'a team as "org/team-slug"' } as const;
const loginOrTeam = { type: "string", pattern: "^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:/[A-Za-z0-9._-]+)?$", description: 'a GitHub login or a team as "org/team-slug"' } as const;
const days = { type: "integer", minimum: 1, maximum: 365 } as const;
// Label names are written into replies inside code spans: no backtick, "<", ">" or line break.
const labelName = { type: "string", minLength: 1, maxLength: 50, pattern: "^[^`<>\\r\\n]*$", description: 'a label name (no backtick, "<", ">" or line break)' } as const;

/**
 * The whole product's config. Defaults live here (ajv `useDefaults`) rather than in
 * `context.config(…, defaults)`, because Probot deep-merges defaults and would concatenate arrays.
 */
export const configSchema: JSONSchemaType<EmbargoConfig> = {
  type: "object",
  additionalProperties: false,
  properties: {
    label: { ...labelName, default: "security" },
    team: { ...teamName, nullable: true },
    release_managers: { type: "array", items: login, default: [], uniqueItems: true },
    triage_rotation: { type: "array", items: login, default: [], uniqueItems: true },
    embargo_days: {
      type: "object",
      additionalProperties: false,
      properties: {
        critical: { ...days, default: 15 },
        high: { ...days, default: 20 },
        medium: { ...days, default: 25 },
        low: { ...days, default: 30 },
      },
      required: [],
      default: {},
    } as never,
    supported_branches: {
      type: "array",
      // Git's rules, plus no backtick, "<", ">" or "|": branch names are written into the response.
      items: { type: "string", minLength: 1, maxLength: 100, pattern: "^[^\\s~^:?*\\[\\\\`<>|]+$", description: 'a branch name (no spaces, no backtick and none of ~ ^ : ? * [ \\ < > |)' },
      default: [],
      uniqueItems: true,
    },
    components: {
      type: "object",
      default: {},
      required: [],
      propertyNames: { pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$", description: 'a component name (up to 50 letters, digits, ".", "_" and "-", starting with a letter or digit)' } as never,
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        properties: {
          repo: { ...repoFullName, nullable: true },
          owners: { type: "array", items: login, default: [] },
          package: {
            type: "object",
            nullable: true,
            additionalProperties: false,
            properties: { ecosystem: { type: "string", minLength: 1 }, name: { type: "string", minLength: 1 } },
            required: ["ecosystem", "name"],
          },
        },
        required: [],
      },
    } as never,
    security_repo: { ...repoFullName, nullable: true },
    public_reports: { type: "string", enum: ["notice", "transfer"], default: "notice" },
    report_instructions: { type: "string", nullable: true, maxLength: 2000 },
    notify_team: { type: "boolean", default: false },
    public_pr: {
      type: "object",
      additionalProperties: false,
      properties: {
        priority_label: { ...labelName, default: "priority: high" },
        check_name: { type: "string", minLength: 1, maxLength: 60, default: "review gate" },
        review_team: { ...teamName, nullable: true },
        max_reviewers: { type: "integer", minimum: 1, maximum: 10, default: 2 },
        gate_every_pr: { type: "boolean", default: true },
        leak_words: {
          type: "array",
          items: { type: "string", minLength: 2, maxLength: 100 },
          default: ["vulnerability", "vulnerable", "exploit", "CVE-", "GHSA-", "security fix", "security issue", "embargo", "advisory", "CVSS"],
        },
      },
      required: [],
      default: {},
    } as never,
    // Unknown skip ids and clashing extra ids are checked in src/checklist/checklist-config.ts.
    checklist: {
      type: "object",
      additionalProperties: false,
      properties: {
        skip: { type: "array", items: { type: "string", minLength: 1, maxLength: 200 }, maxItems: 100, uniqueItems: true, default: [] },
        extra: {
          type: "array",
          maxItems: 20,
          default: [],
          items: {
            type: "object",
            additionalProperties: false,
            properties: {
              id: { type: "string", pattern: "^[a-z0-9][a-z0-9_.-]{0,49}$" },
              phase: { type: "string", enum: ["intake", "triage", "fix", "release", "disclosure", "follow-up"] },
              text: { type: "string", minLength: 1, maxLength: 200 },
            },
            required: ["id", "phase", "text"],
          },
        },
      },
      required: [],
      default: {},
    } as never,
    // /announce (issue 11): the CNA's org UUID for CVE JSON 5, the OSV id prefix (`x_…` unless
    // registered with OSV), CHANGES/NEWS files, the disclosure branch name, a public issue on publish.
    cna_org_id: { type: "string", nullable: true, pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$" },
    osv_prefix: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9_]{0,29}$", default: "x_EMBARGO" },
    changelog: {
      type: "array",
      maxItems: 10,
      items: {
        type: "object",
        additionalProperties: false,
        properties: {
          path: { type: "string", minLength: 1, maxLength: 200, pattern: "^[^/\\\\.][^\\\\]*$" },
          template: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,49}$" },
        },
        required: ["path", "template"],
      },
      default: [{ path: "CHANGES.md", template: "changes-entry" }, { path: "NEWS.md", template: "news-entry" }],
    } as never,
    // `{id}` is required: the PR is found again by its branch, so one branch for every disclosure
    // would find an earlier disclosure's PR and take it as done.
    disclosure_branch: {
      type: "string",
      minLength: 1,
      maxLength: 100,
      pattern: "^[A-Za-z0-9._/{}-]*\\{id\\}[A-Za-z0-9._/{}-]*$",
      default: "embargo/disclosure-{id}",
      description: 'a branch name with {id} in it (letters, digits, ".", "_", "/" and "-"), so that each disclosure has its own branch',
    },
    public_issue: { type: "boolean", default: false },
    // issue 12: who hears of a suspected breach at once (logins or teams), chat, CVE feeds.
    incident_contacts: { type: "array", items: loginOrTeam, default: [], uniqueItems: true, maxItems: 20 },
    notify: {
      type: "object",
      additionalProperties: false,
      properties: {
        slack_webhook_env: { type: "string", nullable: true, pattern: "^[A-Z][A-Z0-9_]{0,63}$", description: "the NAME of an environment variable (capitals, digits and _), never the URL itself" },
        include_details: { type: "boolean", default: false },
      },
      required: [],
      default: {},
    } as never,
    feeds: {
      type: "array",
      maxItems: 20,
      default: [],
      items: {
        type: "object",
        additionalProperties: false,
        properties: {
          url: { type: "string", maxLength: 500, pattern: "^https://[^\\s]+$", description: "an https:// URL" },
          keywords: { type: "array", nullable: true, maxItems: 50, items: { type: "string", minLength: 2, maxLength: 100 } },
        },
        required: ["url"],
      },
    } as never,
    dashboard: {
      type: "object",
      additionalProperties: false,
      properties: {
        enabled: { type: "boolean", default: true },
        title: { type: "string", minLength: 1, maxLength: 100, pattern: "^[^\\r\\n]*$", default: "Security response dashboard", description: "a title on one line (up to 100 characters)" },
      },
      required: [],
      default: {},
    } as never,
    reminders: {
      type: "object",
      additionalProperties: false,
      properties: {
        triage_hours: { type: "integer", minimum: 1, maximum: 8760, default: 24 },
        embargo_warning_days: { type: "integer", minimum: 1, maximum: 365, default: 3 },
        review_hours: { type: "integer", minimum: 1, maximum: 8760, default: 48 },
      },
      required: [],
      default: {},
    } as never,
  },
  required: [],
};
