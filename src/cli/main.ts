import { runGitHubAction } from "../adapters/github-action.js";
import { credentialsFromEnv } from "./cli-octokit.js";
import { runBackfillCommand } from "./backfill.js";
import { runDoctor } from "./doctor.js";
import { runExport } from "./export.js";
import { runPreview } from "./preview.js";
import { runTickCommand } from "./tick.js";

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
}

const HELP = `embargo — the embargo GitHub App's command line (credentials from the environment or .env, as for npm start)

  embargo doctor <owner/security-repo>    check an installation: config, team, labels, the gate's rules, the app on every component repo
  embargo preview <template | file.hbs> [--record record.json | comment.md [--issue owner/repo#n]]
                                          render a template as the app would, with a sample or the given record
  embargo export <owner/repo#n> --format osv|cve5
                                          print a response's OSV or CVE JSON 5 record (its signed record, checked as the app does)
  embargo action                          in a GitHub Actions step: run the app on the workflow's event (see action.yml)
  embargo backfill <owner/repo> [--from <n>]
                                          give the open PRs the gate's passing run as their next event would (after making the gate required)
  embargo tick                            one tick: reminders, dashboards rebuilt, missed events caught up (for cron; see README)`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  doctor: async (args, io) => {
    const creds = credentialsFromEnv(io.env);
    if ("problem" in creds) {
      io.err(`embargo doctor needs the app's credentials: ${creds.problem}`);
      return 2;
    }
    return runDoctor(args[0], creds, { out: io.out });
  },
  preview: (args, io) => runPreview(args, io),
  export: (args, io) => runExport(args, io),
  tick: (_args, io) => runTickCommand(io),
  backfill: (args, io) => runBackfillCommand(args, io),
  action: async (_args, io) => {
    const outcome = await runGitHubAction({ env: io.env });
    io.out(outcome.message);
    return 0;
  },
};

/** Dispatches `embargo <command>`; returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.out(HELP);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`unknown command \`${name}\`\n\n${HELP}`);
    return 2;
  }
  try {
    return await command(args, io);
  } catch (error) {
    io.err(`embargo ${name} failed: ${(error as Error).message}`);
    return 1;
  }
}
