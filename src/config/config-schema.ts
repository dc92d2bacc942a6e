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
  // /announce (issue 11)
  cna_org_id?: string;
  osv_prefix: string;
  changelog: { path: string; template: string }[];
  disclosure_branch: string;
  public_issue: boolean;
}

const login = { type: "string", pattern: "^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$" } as const;
const repoFullName = { type: "string", pattern: "^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$" } as const;
const days = { type: "integer", minimum: 1, maximum: 365 } as const;
const labelName = { type: "string", minLength: 1, maxLength: 50 } as const;

/**
 * The whole product's config. Defaults live here (ajv `useDefaults`) rather than in
 * `context.config(…, defaults)`, because Probot deep-merges defaults and would concatenate arrays.
 */
export const configSchema: JSONSchemaType<EmbargoConfig> = {
  type: "object",
  additionalProperties: false,
  properties: {
    label: { ...labelName, default: "security" },
    team: { type: "string", nullable: true, pattern: "^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$" },
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
      items: { type: "string", minLength: 1, maxLength: 100, pattern: "^[^\\s~^:?*\\[\\\\]+$" },
      default: [],
      uniqueItems: true,
    },
    components: {
      type: "object",
      default: {},
      required: [],
      propertyNames: { pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$" } as never,
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
        review_team: { type: "string", nullable: true, pattern: "^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$" },
        leak_words: {
          type: "array",
          items: { type: "string", minLength: 2, maxLength: 100 },
          default: ["vulnerability", "vulnerable", "exploit", "CVE-", "GHSA-", "security fix", "security issue", "embargo", "advisory", "CVSS"],
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
    disclosure_branch: { type: "string", minLength: 1, maxLength: 100, pattern: "^[A-Za-z0-9._/{}-]+$", default: "embargo/disclosure-{id}" },
    public_issue: { type: "boolean", default: false },
  },
  required: [],
};
