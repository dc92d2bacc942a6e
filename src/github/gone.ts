/**
 * GitHub's answers that mean "this one item is gone or not ours to touch": a deleted repo or PR
 * (404), a removed one (410), a repo the installation lost access to (403 on a single item). A
 * handler records or logs them and carries on with the other items; anything else is a real
 * failure and is thrown.
 */
export function isGone(error: unknown): boolean {
  const status = (error as { status?: number } | null)?.status;
  return status === 404 || status === 410 || status === 403;
}
