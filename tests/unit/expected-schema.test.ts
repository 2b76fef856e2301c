import { describe, expect, it } from 'vitest';
import { expectedSchema } from '../../shared/setup/expected-schema';
import manifest from '../../shared/setup/expected-schema.json';

describe('the schema manifest verify-database carries compressed', () => {
  it('unpacks to expected-schema.json (run `npm run schema:manifest` after a migration)', async () => {
    expect(await expectedSchema()).toEqual(manifest);
  });
});
