/** The HTTP status of an Octokit error, if it has one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** GitHub's ways of saying "this is not there (any more)": deleted, transferred, or hidden from the app. */
export function isGone(error: unknown): boolean {
  const status = httpStatus(error);
  return status === 404 || status === 410;
}

/**
 * GitHub's rate limits answer 403 (or 429) too: a `retry-after`, no requests left, or the message
 * says so. That is "try again later", never "no access": it must fail the event, not refuse.
 */
export function isRateLimited(error: unknown): boolean {
  const status = httpStatus(error);
  if (status !== 403 && status !== 429) return false;
  const e = error as { response?: { headers?: Record<string, string | undefined> }; message?: unknown };
  const headers = e.response?.headers ?? {};
  return status === 429 || headers["retry-after"] !== undefined || headers["x-ratelimit-remaining"] === "0" || /rate limit/i.test(String(e.message ?? ""));
}

/**
 * An answer that says nothing about the request: no answer (network), a 5xx, or a rate limit.
 * Work that meets one must fail the event (a redelivery finishes it), never answer "refused".
 */
export function isTransient(error: unknown): boolean {
  const status = httpStatus(error);
  return status === undefined || status >= 500 || isRateLimited(error);
}

/**
 * "This one item is gone or not ours to touch": gone (404, 410), or a repository the installation
 * lost access to (403 on a single item). Handlers log these and carry on with the other items.
 */
export function isOutOfReach(error: unknown): boolean {
  return isGone(error) || (httpStatus(error) === 403 && !isRateLimited(error));
}
