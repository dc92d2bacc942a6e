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
 * "This one item is gone or not ours to touch": gone (404, 410), or a repository the installation
 * lost access to (403 on a single item). Handlers log these and carry on with the other items.
 */
export function isOutOfReach(error: unknown): boolean {
  return isGone(error) || httpStatus(error) === 403;
}
