import pino from "pino";
import type { Probot } from "probot";

/** What a log line keeps of an error: what failed and where, never what it was about. */
export interface LoggedError {
  type: string;
  message: string;
  stack?: string;
  status?: number;
  code?: string | number;
  cause?: LoggedError | string;
  aggregateErrors?: Array<LoggedError | string>;
}

/**
 * An error as the log may hold it. pino's standard serializer copies every enumerable property,
 * and the errors a delivery fails with carry embargoed text in theirs: @octokit/webhooks attaches
 * the whole delivery (`event`: the security issue's title and report, the comment's text) to each
 * handler error and to their AggregateError, and Octokit's RequestError carries the failed
 * request (`request.body`: a response comment) and GitHub's answer (`response.data`). Logs go to
 * log stores, Sentry, and in the GitHub Action to the workflow's log, which a public
 * repository's visitors can read. Name, message, stack, HTTP status and code are kept; messages
 * are the app's own (LeakBlocked names no secret) or GitHub's.
 */
export function errorForLog(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) return value;
  if (depth > 3) return `${value.name}: ${value.message}`;
  const e = value as Error & { status?: unknown; code?: unknown; errors?: unknown };
  const logged: LoggedError = { type: e.constructor?.name || e.name, message: String(e.message) };
  if (e.stack) logged.stack = e.stack;
  if (typeof e.status === "number") logged.status = e.status;
  if (typeof e.code === "string" || typeof e.code === "number") logged.code = e.code;
  if (e.cause !== undefined) logged.cause = e.cause instanceof Error ? (errorForLog(e.cause, depth + 1) as LoggedError) : "(not an error)";
  if (Array.isArray(e.errors)) logged.aggregateErrors = e.errors.map((inner) => (inner instanceof Error ? (errorForLog(inner, depth + 1) as LoggedError) : "(not an error)"));
  return logged;
}

type SerializerTable = Record<string, (value: unknown) => unknown>;

/**
 * Every way the app runs logs through the Probot's pino logger: Probot's error handler, the
 * webhook middleware of `probot run`, the adapters. pino's child loggers share their parent's
 * serializer table unless given their own, so replacing `err` there covers them all, also the
 * loggers made before the app was loaded (a logger is built before any app code runs, so its
 * options cannot be set from here).
 */
export function keepEmbargoOutOfLogs(log: Probot["log"]): void {
  const table = (log as unknown as Record<symbol, SerializerTable | undefined>)[pino.symbols.serializersSym];
  if (table) table.err = (value) => errorForLog(value);
}
