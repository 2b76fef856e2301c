import fc from 'fast-check';
import * as z from '../../shared/zod';
import { instantString } from '../../shared/http/schemas';
import type { RouteDefinition } from '../../shared/http/route';

/**
 * Generated request inputs, one class of bad input each (fuzz.test.ts): instants outside the
 * range or without a zone, NUL bytes, strings past their field's length, forged cursors.
 */

export type Location = 'path' | 'query' | 'body';
export interface Field {
  location: Location;
  name: string;
  schema: z.ZodMiniType;
}

/** Every field a route's path, query and body schemas declare. */
export function fieldsOfRoute(route: RouteDefinition): Field[] {
  return (['path', 'query', 'body'] as const).flatMap((location) => {
    const shape = (route.request[location] as { shape?: Record<string, z.ZodMiniType> } | undefined)?.shape ?? {};
    return Object.entries(shape).map(([name, schema]) => ({ location, name, schema }));
  });
}

interface Inspectable {
  _zod: { def: { type: string; innerType?: Inspectable } };
}

/** A field's schema without optional, default and nullable around it. */
function bare(schema: z.ZodMiniType): Inspectable {
  let inner = schema as unknown as Inspectable;
  while (inner._zod.def.innerType !== undefined) inner = inner._zod.def.innerType;
  return inner;
}

/** Whether the field takes an instant (the one instant schema). */
export const isInstantField = (field: Field): boolean => (bare(field.schema) as unknown) === instantString;

/** The most characters a string field takes, when its schema says (as the API reference states it: a pipe's input side counts). */
export function maxCharsOf(field: Field): number | undefined {
  const json = z.toJSONSchema(bare(field.schema) as unknown as z.ZodMiniType, { io: 'input', unrepresentable: 'any' });
  return typeof json.maxLength === 'number' ? json.maxLength : undefined;
}

// The range the API states (shared/http/instants.ts), written out here so the test does not
// take it from the code it checks.
const EARLIEST_MS = Date.parse('0100-01-01T00:00:00Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');
const YEAR_0000_MS = Date.parse('0000-01-01T00:00:00Z');
const DAY_MS = 86_400_000;
const MAX_OFFSET_MINUTES = 23 * 60 + 59;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `utcMs` as RFC 3339 written at `offsetMinutes` from UTC with `digits` fractional digits (zeros
 * after the milliseconds), or undefined where the local year is not four digits. `zero` is how
 * an offset of zero is written.
 */
function writeInstant(utcMs: number, offsetMinutes: number, digits: number, zero: 'Z' | '+00:00' | '-00:00'): string | undefined {
  const local = new Date(utcMs + offsetMinutes * 60_000).toISOString();
  if (!/^\d{4}-/.test(local)) return undefined;
  const fraction = digits === 0 ? '' : `.${`${local.slice(20, 23)}000000`.slice(0, digits)}`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = offsetMinutes === 0 ? zero : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${local.slice(0, 19)}${fraction}${zone}`;
}

const writing = fc.record({
  offset: fc.oneof(fc.constant(0), fc.integer({ min: -MAX_OFFSET_MINUTES, max: MAX_OFFSET_MINUTES })),
  digits: fc.constantFrom(0, 3, 6, 9),
  zero: fc.constantFrom<'Z' | '+00:00' | '-00:00'>('Z', '+00:00', '-00:00'),
});

/** Instants written any valid way from UTC milliseconds; whole seconds when written without a fraction. */
const written = (utc: fc.Arbitrary<number>) =>
  fc
    .tuple(utc, writing)
    .map(([ms, { offset, digits, zero }]) => writeInstant(digits === 0 ? Math.floor(ms / 1000) * 1000 : ms, offset, digits, zero))
    .filter((text): text is string => text !== undefined);

/** Instants in the range, at any offset, the edges more often. */
export const instantInRange = written(
  fc.oneof(
    fc.integer({ min: EARLIEST_MS, max: LATEST_MS }),
    fc.integer({ min: EARLIEST_MS, max: EARLIEST_MS + DAY_MS }),
    fc.integer({ min: LATEST_MS - DAY_MS, max: LATEST_MS }),
  ),
);

/**
 * Instants outside the range but written with four-digit years: years 0000–0099, and instants
 * written in 9999 (or 0100) whose offset takes them past the end (or before the start) in UTC;
 * the edges more often.
 */
export const instantOutOfRange = fc.oneof(
  fc.constantFrom('0000-01-01T00:00:00Z', '0099-12-31T23:59:59.999999Z', '0100-01-01T00:59:59.999+01:00', '9999-12-31T23:59:59.999999-00:01'),
  written(fc.integer({ min: YEAR_0000_MS, max: EARLIEST_MS - 1 })),
  fc
    .tuple(fc.integer({ min: 1, max: MAX_OFFSET_MINUTES }), fc.constantFrom(0, 3, 6, 9), fc.nat())
    .map(([behind, digits, seed]) => {
      const utc = LATEST_MS + 1 + (seed % (behind * 60_000));
      return writeInstant(digits === 0 ? Math.ceil(utc / 1000) * 1000 : utc, -behind, digits, 'Z');
    })
    .filter((text): text is string => text !== undefined),
);

/** Instants that are not RFC 3339 with an offset: no zone, a lowercase or spaced separator, odd offsets, other years. */
export const instantMalformed = fc.oneof(
  instantInRange.map((text) => text.replace(/(Z|[+-]\d\d:\d\d)$/, '')),
  instantInRange.map((text) => text.replace('T', ' ')),
  instantInRange.map((text) => text.replace('T', 't')),
  instantInRange.map((text) => text.replace(/Z$/, 'z').replace(/([+-]\d\d):(\d\d)$/, '$1$2')),
  instantInRange.map((text) => text.replace(/(Z|[+-]\d\d:\d\d)$/, '+24:00')),
  instantInRange.map((text) => text.slice(0, 10)),
  fc.integer({ min: LATEST_MS + 1, max: 8.64e15 }).map((ms) => new Date(ms).toISOString()),
  fc.integer({ min: -8.64e15, max: YEAR_0000_MS - 1 }).map((ms) => new Date(ms).toISOString()),
);

/** Text holding a NUL byte somewhere, alone, in an object (as value or key) or in an array. */
export const withNul = (base: string) =>
  fc
    .tuple(fc.nat({ max: base.length }), fc.string({ maxLength: 10 }))
    .map(([at, extra]) => `${base.slice(0, at)}${extra}\u0000${base.slice(at)}`)
    .chain((text) => fc.oneof({ weight: 4, arbitrary: fc.constant<unknown>(text) }, fc.constant({ note: text }), fc.constant({ [text]: 'x' }), fc.constant([text])));

/**
 * `base` made longer than `max` characters, up to `limit`, with characters of one to four bytes.
 * Lengths are in code points, as Postgres counts them (zod counts UTF-16 units, never fewer).
 * Without a `max` (a UUID, an enum), at least 100.
 */
export const overLong = (base: string, max: number | undefined, limit: number) => {
  const baseChars = [...base];
  const least = Math.max(max ?? 99, baseChars.length) + 1;
  return fc
    .tuple(fc.integer({ min: least, max: Math.max(least, limit) }), fc.constantFrom('a', '0', 'é', '€', '😀'))
    .map(([length, pad]) => [...baseChars, ...Array<string>(length - baseChars.length).fill(pad)].join(''));
};

/**
 * The longest text a field accepts: `base` grown to the field's `max` with '€' (one UTF-16 unit for
 * zod, one character for Postgres, three bytes), at its end or its start, whichever the schema
 * takes; undefined where the field states no length or growing it breaks its format.
 */
export function longestAccepted(field: Field, base: string): string | undefined {
  const max = maxCharsOf(field);
  if (max === undefined || base.length > max) return undefined;
  const pad = '€'.repeat(max - base.length);
  return [`${base}${pad}`, `${pad}${base}`].find((text) => field.schema.safeParse(text).success);
}

// ---- cursors --------------------------------------------------------------------------------

/** How instantKey writes an instant: UTC, microseconds. */
const cursorText = (ms: number, micros: number) => new Date(ms).toISOString().replace(/Z$/, `${String(micros).padStart(3, '0')}Z`);
const micros = fc.integer({ min: 0, max: 999 });

const cursorInstantInRange = fc.tuple(fc.oneof(fc.integer({ min: EARLIEST_MS, max: LATEST_MS }), fc.constantFrom(EARLIEST_MS, LATEST_MS)), micros).map(([ms, us]) => cursorText(ms, us));

const INSTANT_KEYS: readonly string[] = ['created_at', 'distribution_date', 'effective_at'];
const ID_KEYS: readonly string[] = ['id', 'holder_id'];
const KNOWN_KEYS: readonly string[] = [...INSTANT_KEYS, ...ID_KEYS];

/** Values no cursor instant may hold: out of range (the edges more often), written other than instantKey writes, not text. */
const badCursorInstant = fc.oneof(
  fc.constantFrom('0000-01-01T00:00:00.000000Z', '0099-12-31T23:59:59.999999Z'),
  fc.tuple(fc.integer({ min: YEAR_0000_MS, max: EARLIEST_MS - 1 }), micros).map(([ms, us]) => cursorText(ms, us)),
  cursorInstantInRange.map((text) => text.replace(/\d{3}Z$/, 'Z')),
  cursorInstantInRange.map((text) => text.replace(/Z$/, '+00:00')),
  cursorInstantInRange.map((text) => text.replace(/Z$/, '')),
  cursorInstantInRange.map((text) => `${text}\u0000`),
  instantMalformed,
  fc.uuid(),
  fc.constantFrom<unknown>(null, 0, true, [], {}, ''),
);

/** Values no cursor id may hold. */
const badCursorId = fc.oneof(
  fc.uuid().map((id) => `${id}x`),
  fc.uuid().map((id) => id.replace(/-/g, '')),
  fc.uuid().map((id) => `${id}\u0000`),
  cursorInstantInRange,
  fc.constantFrom<unknown>(null, 0, true, [], {}, ''),
);

const badValueOf = (key: string) => (INSTANT_KEYS.includes(key) ? badCursorInstant : badCursorId);
const cursorValueOf = (key: string) => (INSTANT_KEYS.includes(key) ? cursorInstantInRange : fc.uuid());
const encodeKey = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** The keys lists use (db/keyset.ts and the lists' own), with values in range. */
const listKey = fc.oneof(
  fc.record({ created_at: cursorInstantInRange, id: fc.uuid() }),
  fc.record({ distribution_date: cursorInstantInRange, id: fc.uuid() }),
  fc.record({ effective_at: cursorInstantInRange, created_at: cursorInstantInRange, id: fc.uuid() }),
  fc.record({ holder_id: fc.uuid() }),
);

/** Cursors of the keys lists use: one list's own, another's for the rest. */
export const cursorOfListKeys = listKey.map(encodeKey);

/**
 * A list's key, broken one way: a key no list uses added (most often: the lists took it before),
 * one value made bad, or its id dropped (no key is another's without its id, so what is left fits
 * no list).
 */
const brokenListKey = listKey.chain((key: Record<string, unknown>) => {
  const keys = Object.keys(key);
  return fc.oneof(
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.string({ maxLength: 20 }).filter((name) => !KNOWN_KEYS.includes(name)), fc.jsonValue({ maxDepth: 1 }))
        .map(([name, value]) => ({ ...key, [name]: value })),
    },
    fc.constantFrom(...keys).chain((name) => badValueOf(name).map((value) => ({ ...key, [name]: value }))),
    fc.constant(Object.fromEntries(Object.entries(key).filter(([name]) => !ID_KEYS.includes(name)))),
  );
});

/** Any known keys, at least one holding a bad value or a key no list uses added. */
const forgedKey = fc
  .tuple(
    fc.subarray([...KNOWN_KEYS]).chain((keys) => fc.tuple(...keys.map((key) => fc.tuple(fc.constant(key), fc.oneof(cursorValueOf(key), badValueOf(key)))))),
    fc.oneof(
      fc.constantFrom(...KNOWN_KEYS).chain((key) => fc.tuple(fc.constant(key), badValueOf(key))),
      fc.tuple(fc.string({ maxLength: 20 }).filter((key) => !KNOWN_KEYS.includes(key)), fc.jsonValue({ maxDepth: 1 })),
    ),
  )
  .map(([entries, bad]) => Object.fromEntries([...entries, bad]));

/**
 * Cursors no list issued: lists' keys broken, other forged keys, JSON that is not an object, bytes
 * that are not JSON, text that is not base64url, too long.
 */
export const forgedCursor = fc.oneof(
  { weight: 6, arbitrary: brokenListKey.map(encodeKey) },
  { weight: 2, arbitrary: forgedKey.map(encodeKey) },
  { weight: 1, arbitrary: fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.array(fc.uuid(), { maxLength: 3 })).map(encodeKey) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('base64url')) },
  { weight: 1, arbitrary: fc.tuple(cursorOfListKeys, fc.constantFrom('+', '/', '=', '.', ' ', '%', '\u0000')).map(([cursor, odd]) => `${cursor}${odd}`) },
  { weight: 1, arbitrary: fc.integer({ min: 513, max: 1500 }).map((length) => 'A'.repeat(length)) },
);
