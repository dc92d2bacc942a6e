import type { Context } from "probot";
import type { CommandDefinition, CommandOutcome } from "../commands/command.js";
import { MAX_COMMAND_LINE, mayHaveCommands, parseCommands, type CommandLine } from "../commands/parse-commands.js";
import { COMMANDS, findCommand, usageOf } from "../commands/registry.js";
import { applyEffects } from "../github/apply-effects.js";
import { runAnnounceActions } from "../github/announce-run.js";
import { findOwnComment } from "../github/issue-comments.js";
import { mayRunCommands } from "../github/may-run-commands.js";
import { RESPONSE_MARKER } from "../record/markers.js";
import { CLOSED_STATES, type ResponseRecord } from "../record/response-record.js";
import { noEffects } from "../response/effects.js";
import { renderResponse } from "../response/render-response.js";
import { responseLabels } from "../response/response-labels.js";
import { syncBoxes, tick } from "../response/sync-boxes.js";
import { renderTemplate, trusted } from "../render/templates.js";
import { neutralize } from "../render/neutralize.js";
import type { EmbargoConfig } from "../config/config-schema.js";
import { prFacts, readRepoConfig, syncPr, type PullLike } from "./sync-pr.js";
import { isPrivateRepo, issueKey, loadResponse, readConfig, reportConfigProblems, type Deps } from "./response-context.js";

type CommentContext = Context<"issue_comment.created"> | Context<"issue_comment.edited">;

/** How many comments' worth of "already ran" the record keeps: older comments are rarely edited. */
const RAN_COMMENTS_KEPT = 100;

/** Applies `fn` to the text outside inline code spans: examples in backticks stay copyable. */
function outsideCode(text: string, fn: (s: string) => string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith("`") && part.endsWith("`") && part.length > 1 ? part : fn(part)))
    .join("");
}

interface Failure {
  line: CommandLine;
  error: string;
  usage?: string;
}

export function helpView() {
  return {
    commands: COMMANDS.map((c) => ({
      // Inside code spans entities are not decoded, and a table needs its pipes escaped.
      usage: trusted(c.usage.replace(/\|/g, "\\|")),
      examples: c.examples.map((e) => trusted(e)),
      summary: trusted(c.summary),
      whenClosed: Boolean(c.whenClosed),
    })),
  };
}

function runLine(line: CommandLine, record: ResponseRecord, input: Omit<Parameters<CommandDefinition["run"]>[1], "args">):
  | { ok: true; outcome: CommandOutcome }
  | { ok: false; failure: Failure } {
  if (line.text.length > MAX_COMMAND_LINE) {
    return { ok: false, failure: { line, error: `the line is ${line.text.length} characters long; commands take at most ${MAX_COMMAND_LINE}` } };
  }
  const command = findCommand(line.group, line.name);
  if (!command) {
    const known = usageOf(line.group);
    const error = !known
      ? `\`/${line.group}\` commands are not available yet`
      : line.name
        ? `\`/${line.group} ${line.name}\` is not a command (known: ${known})`
        : `give a sub-command after \`/${line.group}\` (known: ${known})`;
    return { ok: false, failure: { line, error, usage: "/triage help" } };
  }
  if (CLOSED_STATES.includes(record.state) && !command.whenClosed) {
    return { ok: false, failure: { line, error: `this response is closed (${record.state}); only \`/triage status\` and \`/help\` still work` } };
  }
  const args = line.group === "help" ? "" : line.args;
  let result;
  try {
    result = command.run(record, { ...input, args });
  } catch (error) {
    result = { ok: false as const, error: `could not run: ${(error as Error).message}` };
  }
  if (!result.ok) return { ok: false, failure: { line, error: result.error, usage: command.usage } };
  return { ok: true, outcome: result.outcome };
}

/** `/triage pr`: read the PR and sync it; a PR the app cannot see is reported, not fatal. */
async function linkPr(
  deps: Deps,
  octokit: CommentContext["octokit"],
  issue: { owner: string; repo: string; issue_number: number },
  config: EmbargoConfig,
  link: { owner: string; repo: string; number: number },
  log: (m: string) => void,
): Promise<string | undefined> {
  const ref = `${link.owner}/${link.repo}#${link.number}`;
  let pull;
  try {
    ({ data: pull } = await octokit.rest.pulls.get({ owner: link.owner, repo: link.repo, pull_number: link.number }));
  } catch (error) {
    if ((error as { status?: number }).status === 404) return `Could not link ${ref}: no such pull request, or the app is not installed on that repository.`;
    throw error;
  }
  const same = link.owner.toLowerCase() === issue.owner.toLowerCase() && link.repo.toLowerCase() === issue.repo.toLowerCase();
  const prConfig = same ? { ok: true as const, config } : await readRepoConfig(octokit, link.owner, link.repo);
  if (!prConfig.ok) return `Could not link ${ref}: its repository's \`.github/embargo.yml\` is invalid (${prConfig.problems.join("; ")}).`;
  await syncPr({
    octokit,
    deps,
    sealer: deps.sealer,
    log,
    issueKey: `${issue.owner}/${issue.repo}#${issue.issue_number}`,
    pr: prFacts(pull as unknown as PullLike, pull.base.repo),
    prConfig: prConfig.config,
    security: config,
  });
  return undefined;
}

/** `/triage …` and `/help` in a comment on a private security issue. */
export async function onCommandComment(deps: Deps, context: CommentContext): Promise<void> {
  const { payload } = context;
  const { comment, repository } = payload;
  if (payload.sender.type === "Bot" || comment.user?.type === "Bot") return;
  if (!mayHaveCommands(comment.body)) return;
  const lines = parseCommands(comment.body);
  if (!lines.length || !isPrivateRepo(repository)) return;

  const octokit = context.octokit;
  const issue = { owner: repository.owner.login, repo: repository.name, issue_number: payload.issue.number };
  const configResult = await readConfig(context);
  const botLogin = await deps.botLogin();
  if (!configResult.ok) {
    await reportConfigProblems(octokit, issue, configResult.problems, configResult.label, botLogin);
    return;
  }
  const config = configResult.config;
  const actor = payload.sender.login;

  await deps.queue.run(issueKey(issue), async () => {
    const loaded = await loadResponse(octokit, issue, config, botLogin);
    const labels = (payload.issue.labels ?? []).map((l) => l.name);
    const assignees = (payload.issue.assignees ?? []).flatMap((a) => (a ? [a.login] : []));
    const state = { comments: loaded.comments, botLogin, labels, assignees, open: payload.issue.state === "open" };
    const effects = noEffects();
    const commentKey = String(comment.id);

    const permission = await mayRunCommands(octokit, config, issue.owner, issue.repo, actor);
    if (!permission.allowed) {
      effects.replies.push({
        key: `refused-${commentKey}`,
        body: `@${actor} only ${permission.who} may run embargo commands here, so nothing was changed.`,
      });
      await applyEffects(octokit, issue, state, effects);
      return;
    }

    if (!loaded.record) {
      const onlyHelp = lines.every((l) => l.group === "help" || l.name === "help");
      const body = onlyHelp
        ? (await renderTemplate("help", helpView(), loaded.overrides)).text
        : loaded.damaged
          ? "The response comment's hidden record was destroyed by an edit, so no command can run. Restore the comment from its edit history, then try again."
          : `There is no security response on this issue, so nothing was changed. Add the \`${config.label}\` label first.`;
      effects.replies.push({ key: `no-response-${commentKey}`, body });
      await applyEffects(octokit, issue, state, effects);
      return;
    }

    await octokit.rest.reactions.createForIssueComment({ owner: issue.owner, repo: issue.repo, comment_id: comment.id, content: "eyes" });

    const now = deps.now();
    const own = findOwnComment(loaded.comments, botLogin, RESPONSE_MARKER)!;
    let record = syncBoxes(loaded.record, own.body, now);
    const ran = new Set(record.ran[commentKey] ?? []);
    const failures: Failure[] = [];
    const outcomes: CommandOutcome[] = [];
    const wasClosed = CLOSED_STATES.includes(record.state);
    for (const line of lines) {
      if (ran.has(line.hash)) continue;
      const result = runLine(line, record, { config, now, actor, reporter: payload.issue.user?.login ?? "" });
      if (!result.ok) {
        failures.push(result.failure);
        continue;
      }
      record = tick(result.outcome.record, result.outcome.ticks ?? [], now);
      outcomes.push(result.outcome);
      ran.add(line.hash);
    }
    if (outcomes.length) {
      const ranEntries = Object.entries({ ...record.ran, [commentKey]: [...ran] });
      record = { ...record, ran: Object.fromEntries(ranEntries.slice(-RAN_COMMENTS_KEPT)) };
    }

    for (const outcome of outcomes) {
      for (const reply of outcome.replies ?? []) {
        const body = reply.template ? (await renderTemplate(reply.template, reply.view ?? {}, loaded.overrides)).text : (reply.body ?? "");
        effects.replies.push({ key: reply.key, body });
      }
      effects.assign.push(...(outcome.assign ?? []));
      if (outcome.close) effects.close = outcome.close;
      if (outcome.help) {
        effects.replies.push({ key: `help-${commentKey}`, body: (await renderTemplate("help", helpView(), loaded.overrides)).text });
      }
    }
    if (effects.close) record = tick(record, ["follow-up.closed"], now);
    if (failures.length) {
      const { text } = await renderTemplate(
        "command-errors",
        { failures: failures.map((f) => ({ text: f.line.text.slice(0, 300), error: trusted(outsideCode(f.error.replace(/</g, "&lt;"), neutralize)), usage: f.usage ? trusted(f.usage) : undefined })) },
        loaded.overrides,
      );
      effects.replies.push({ key: `errors-${commentKey}-${failures.map((f) => f.line.hash).join("")}`, body: text });
    }

    effects.responseBody = await renderResponse(record, config, { title: payload.issue.title, reporter: payload.issue.user?.login ?? "" }, loaded.overrides);
    if (!wasClosed || outcomes.length) Object.assign(effects, responseLabels(labels, record));
    const applied = await applyEffects(octokit, issue, state, effects);
    const refused = effects.assign.filter((a) => !applied.assigned.some((x) => x.toLowerCase() === a.toLowerCase()) && !assignees.some((x) => x.toLowerCase() === a.toLowerCase()));
    if (refused.length) {
      await applyEffects(octokit, issue, state, {
        ...noEffects(),
        replies: [{ key: `unassignable-${commentKey}-${refused.join("-").toLowerCase()}`, body: `GitHub would not assign ${refused.map((l) => `@\u200b${l}`).join(", ")} (not a collaborator on this repository?). They were recorded as experts; invite them, then run \`/triage assign\` again.` }],
      });
    }
    const linkFailures: string[] = [];
    for (const link of outcomes.flatMap((o) => (o.link ? [o.link] : []))) {
      const problem = await linkPr(deps, octokit, issue, config, link, (m) => context.log.info(m));
      if (problem) linkFailures.push(problem);
    }
    if (linkFailures.length) {
      await applyEffects(octokit, issue, state, { ...noEffects(), replies: [{ key: `link-${commentKey}`, body: linkFailures.join("\n\n") }] });
    }
    // announce actions: merged with the executor registry by the lead
    const announceActions = outcomes.flatMap((o) => o.actions ?? []);
    const announceOk = !announceActions.length || (await runAnnounceActions(octokit, { issue, config, record, state, overrides: loaded.overrides, now, keys: deps.keys, issueData: payload.issue, key: commentKey }, announceActions));
    if (!failures.length && !linkFailures.length && announceOk) {
      await octokit.rest.reactions.createForIssueComment({ owner: issue.owner, repo: issue.repo, comment_id: comment.id, content: "+1" });
    }
  });
}
