/**
 * Bodies whose JSON was written while they were built (a page of a list: each item is measured
 * as JSON anyway), so the response sends it instead of serializing every item a second time.
 * Keyed by the body object itself, which is frozen: a body built otherwise, or copied, is
 * serialized as usual.
 */
const writtenJson = new WeakMap<object, string>();

/** Remembers `json` as `body`'s JSON.stringify, and freezes `body` so that it stays true. */
export function withJson<Body extends object>(body: Body, json: string): Readonly<Body> {
  writtenJson.set(Object.freeze(body), json);
  return body;
}

/** JSON.stringify(body), from what withJson remembered when it can. */
export const jsonOf = (body: unknown): string =>
  (typeof body === 'object' && body !== null ? writtenJson.get(body) : undefined) ?? JSON.stringify(body);

const QUOTE = 34;
const BACKSLASH = 92;

/**
 * What `json` adds to a function's response as part of its body: the body is itself a JSON
 * string there, so each quote and backslash is escaped once more (JSON.stringify has already
 * escaped every control character), and a comma separates it from the next item.
 * Equal to Buffer.byteLength(JSON.stringify(json)) - 1, without writing that string.
 */
export function escapedBytesOf(json: string): number {
  let escapes = 0;
  for (let index = 0; index < json.length; index += 1) {
    const code = json.charCodeAt(index);
    if (code === QUOTE || code === BACKSLASH) escapes += 1;
  }
  return Buffer.byteLength(json) + escapes + 1;
}

/**
 * Whether items, added one by one as JSON (or a run of them, comma-joined: escapedBytesOf counts
 * the run as the sum of its items), still fit `maxBytes` of a response (escapedBytesOf summed);
 * what does not fit is not counted. Counted exactly only once a cheap bound could pass it: a
 * UTF-16 unit is at most 3 bytes, escaped included, so a page far below the limit never scans
 * its items.
 */
export function responseBudget(maxBytes: number): (json: string) => boolean {
  const added: string[] = [];
  let bound = 0;
  let exact: number | undefined;
  return (json) => {
    if (exact === undefined) {
      const bounded = bound + 3 * json.length + 1;
      if (bounded <= maxBytes) {
        added.push(json);
        bound = bounded;
        return true;
      }
      exact = added.reduce((sum, each) => sum + escapedBytesOf(each), 0);
      added.length = 0;
    }
    const bytes = escapedBytesOf(json);
    if (exact + bytes > maxBytes) return false;
    exact += bytes;
    return true;
  };
}
