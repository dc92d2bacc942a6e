import { composeConfigGet } from "@probot/octokit-plugin-config";
import type { ProbotOctokit } from "probot";
import { CONFIG_FILE, loadConfig, type ConfigResult } from "../config/load-config.js";
import { mergeConfigs } from "../config/merge-configs.js";
import type { Store } from "../store/store.js";
import { deepFreeze } from "../util/deep-freeze.js";
import { readContent } from "./conditional-read.js";
import { readGithubFolder } from "./github-folder.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** One file the last resolution read, and what it held then ("-" for none). */
interface PlannedFile {
  owner: string;
  repo: string;
  path: string;
  sha: string;
}

const PLAN_TTL_MS = 7 * 24 * 3_600_000;
const planKey = (owner: string, repo: string) => `config-plan:${owner}/${repo}`.toLowerCase();

/**
 * Validated configs by the files they were made of (locations and content shas): the same files
 * give the same config, so YAML is parsed and the schema run once per content, not per event.
 * Content-addressed, so it cannot go stale; bounded, the oldest dropped first.
 */
const validated = new Map<string, ConfigResult>();
const MAX_VALIDATED = 256;

// Results are shared between events, not copied (a deep copy of a config cost more CPU than the
// rest of its read): frozen, so a caller that would change one throws.
function remember(key: string, result: ConfigResult): void {
  validated.delete(key);
  validated.set(key, result);
  if (validated.size > MAX_VALIDATED) validated.delete(validated.keys().next().value!);
}

/**
 * Stored plans by their exact text, parsed, with their key in `validated` (the plan's JSON): the
 * same text each event, so parsed once, not per event. Bounded like `validated`.
 */
const plans = new Map<string, { plan: readonly Readonly<PlannedFile>[]; key: string }>();

function planOf(raw: string): { plan: readonly Readonly<PlannedFile>[]; key: string } {
  let known = plans.get(raw);
  if (!known) {
    const plan = JSON.parse(raw) as PlannedFile[];
    known = { plan: deepFreeze(plan), key: JSON.stringify(plan) };
    plans.set(raw, known);
    if (plans.size > MAX_VALIDATED) plans.delete(plans.keys().next().value!);
  }
  return known;
}

type Answer = { sha: string; data?: unknown; type?: string; error?: unknown };

const OWN_FILE = `.github/${CONFIG_FILE}`;

/** The last resolution read only the repo's own file, and found it: its listing can vouch for it. */
function ownFileOnly(plan: readonly Readonly<PlannedFile>[], owner: string, repo: string): boolean {
  const [f] = plan;
  return plan.length === 1 && f!.sha !== "-" && f!.path === OWN_FILE && `${f!.owner}/${f!.repo}`.toLowerCase() === `${owner}/${repo}`.toLowerCase();
}

/**
 * The one way embargo reads `.github/embargo.yml` for any repository: the repo's own file on the
 * default branch, else the owner's `.github` repo, then each `_extends` (Probot's config plugin
 * walks them), merged by `mergeConfigs` and validated. Every path uses this, so the repo
 * and a PR's repo never see one file two ways.
 *
 * With the app's store, each file is read with its stored ETag (a 304 is free and its stored text
 * is used), and when every file of the last resolution is unchanged the validated config is taken
 * as it was, without parsing anything (README, "What the app remembers"). When that resolution was
 * the repo's own file alone, the `.github` folder's listing (read once per event for the template
 * overrides anyway, src/github/github-folder.ts) answers instead: the same blob sha there means the
 * same text, so the file is not read at all; another sha (or none), or a folder never listed or
 * absent, reads it as above. A config that comes from elsewhere (the owner's `.github` repo,
 * `_extends`) is read file by file each event.
 */
export async function readConfigFrom(octokit: Octokit, owner: string, repo: string, store?: Store): Promise<ConfigResult> {
  if (!store) return loadConfig((file) => viaPlugin(octokit, owner, repo, file));
  const answers = new Map<string, Promise<Answer>>();
  const read = (f: Omit<PlannedFile, "sha">): Promise<Answer> => {
    const id = `${f.owner}/${f.repo}:${f.path}`.toLowerCase();
    let answer = answers.get(id);
    if (!answer) {
      answer = readContent(octokit, store, { owner: f.owner, repo: f.repo, path: f.path, mediaType: { format: "raw" } }, (d) => d).then(
        (r) => ({ sha: r.sha, data: r.data, type: r.type }),
        (error: unknown) => ({ sha: "-", error }),
      );
      answers.set(id, answer);
    }
    return answer;
  };

  const rawPlan = await store.get(planKey(owner, repo));
  const { plan, key: planJson } = rawPlan ? planOf(rawPlan) : { plan: undefined, key: "" };
  if (plan && ownFileOnly(plan, owner, repo)) {
    // Only a folder listed before (for the overrides, when a response was rendered): an absent one
    // (404) or one never seen leaves the file to be read as below, with no call more.
    const folder = await readGithubFolder(octokit, store, owner, repo, { ifKnown: true });
    const known = folder?.files[CONFIG_FILE] === plan[0]!.sha ? validated.get(planJson) : undefined;
    if (known) return known;
  }
  if (plan) {
    let same = true;
    for (const f of plan) {
      const answer = await read(f);
      if (answer.error && (answer.error as { status?: number }).status !== 404) throw answer.error;
      if (answer.sha !== f.sha) {
        same = false;
        break;
      }
    }
    const known = same ? validated.get(planJson) : undefined;
    if (known) return known;
  }

  const used: PlannedFile[] = [];
  const request = Object.assign(
    async (endpoint: { owner: string; repo: string; path: string }) => {
      const answer = await read(endpoint);
      used.push({ owner: endpoint.owner, repo: endpoint.repo, path: endpoint.path, sha: answer.sha });
      if (answer.error) throw answer.error;
      return { data: answer.data, headers: { "content-type": answer.type } };
    },
    { endpoint: octokit.request.endpoint },
  );
  const result = deepFreeze(await loadConfig((file) => viaPlugin({ request } as unknown as Octokit, owner, repo, file)));
  await store.set(planKey(owner, repo), JSON.stringify(used), PLAN_TTL_MS);
  remember(JSON.stringify(used), result);
  return result;
}

/**
 * The merged file before validation, read as every path of the app reads it (null: no file), for
 * `embargo doctor`: Probot's `context.config` would join the lists of `_extends` and the repo's file.
 */
export function rawConfigFrom(octokit: Pick<Octokit, "request">, owner: string, repo: string): Promise<unknown> {
  return viaPlugin(octokit as Octokit, owner, repo, CONFIG_FILE);
}

async function viaPlugin(octokit: Octokit, owner: string, repo: string, file: string): Promise<unknown> {
  const { config, files } = await composeConfigGet(octokit as never, {
    owner,
    repo,
    path: `.github/${file}`,
    defaults: (configs: object[]) => mergeConfigs(configs),
  });
  return files.some((f) => f.config !== null) ? config : null;
}
