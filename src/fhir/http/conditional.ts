/**
 * If-None-Match evaluated as an origin server must (RFC 9110 13.1.2): weak comparison of
 * the listed entity tags, `*` matching any. Not Koa's ctx.fresh: that follows cache rules
 * and ignores the condition whenever the request says Cache-Control: no-cache, which
 * fetch() adds to every conditional request.
 */
const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

export function noneMatchHolds(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return true;
  if (ifNoneMatch.trim() === '*') return false;
  const current = opaque(etag);
  return !ifNoneMatch.split(',').some((tag) => opaque(tag) === current);
}
