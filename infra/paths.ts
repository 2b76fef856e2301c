import { resolve } from 'node:path';

/** The repository root: handler paths in the route and worker tables are relative to it. */
export const REPO_ROOT = resolve(import.meta.dirname, '..');
