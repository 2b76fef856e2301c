/**
 * zod as this codebase uses it: zod/mini, whose schemas are built from functions
 * (`z.optional(s)`, `s.check(z.maxLength(n))`) rather than methods, so a bundle keeps only what it
 * calls and a schema costs little to build at cold start. mini loads no locale by itself; this
 * sets English, the one the API answers in. Import zod from here, never from 'zod'.
 *
 * @example import * as z from '../zod'; const name = z.optional(z.string().check(z.maxLength(80)));
 */
import { config, type core, globalRegistry, lazy, type ZodMiniLazy, type ZodMiniType } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
/** What `parse` throws. `z.core` is kept off the run-time path: read as a value, it brings all of zod core into a bundle, locales included. */
export { $ZodError as ZodError } from 'zod/v4/core';

/**
 * A copy of `schema` that the docs describe so: what classic zod's `.describe()` was. A copy, since
 * `register` marks the schema itself, and a shared one (`idText`, say) is described differently
 * where each field uses it.
 *
 * @example z.described(z.nullable(idText), 'Null until approved.')
 */
export function described<T extends ZodMiniType>(schema: T, description: string): T {
  return withMeta(schema, { description });
}

/**
 * A copy of `schema` with metadata for the docs (an `id` makes it a named component, an
 * `example`): classic zod's `.meta(…)`. Kept out of the schema's checks, which `z.extend` would
 * copy along with the id.
 *
 * @example z.withMeta(z.object({ … }), { id: 'Project' })
 */
export function withMeta<T extends ZodMiniType>(schema: T, metadata: core.GlobalMeta): T {
  const copy = schema.clone();
  globalRegistry.add(copy, metadata);
  return copy;
}

/**
 * A response schema, built on first use. It types a handler's result and documents it (the API
 * reference, the tests parse with it), but no handler parses with it: built at import, it would be
 * built at every cold start for nothing.
 *
 * @example export const userDto = z.responseSchema(() => z.withMeta(z.strictObject({ … }), { id: 'User' }));
 */
export function responseSchema<T extends ZodMiniType>(build: () => T): ZodMiniLazy<T> {
  return lazy(build);
}

/** The schema a responseSchema builds, to build another from it (`z.extend(z.built(navEntryDto), …)`). */
export const built = <T extends ZodMiniType>(schema: ZodMiniLazy<T>): T => schema._zod.innerType;
