import { describe, expect, it } from 'vitest';
import { Decimal } from '../../shared/decimal';
import { readByKey } from '../../shared/db/keyset';
import { readPage } from '../../shared/http/cursor';
import { escapedBytesOf, jsonOf, responseBudget } from '../../shared/http/json-body';

const keyOf = (row: { id: string }) => ({ id: row.id });

async function* rowsOf<Row>(rows: Row[]) {
  yield* rows;
}

describe("a page's body", () => {
  // Quotes, backslashes, control characters, a lone surrogate, U+2028, multi-byte characters.
  const awkward = ['plain', 'say "hi"', 'back\\slash', 'tab\tnew\nline\u0001', 'lone \ud800 surrogate', 'line\u2028sep', '€ 日本 🎉', ''];

  it.each(awkward)('measures an item as the response escapes it (%j)', (text) => {
    const json = JSON.stringify({ text });
    expect(escapedBytesOf(json)).toBe(Buffer.byteLength(JSON.stringify(json)) - 1);
  });

  it('is the JSON of the page, written once while reading it', async () => {
    // Prepare
    const rows = awkward.map((text, index) => ({ id: String(index).padStart(2, '0'), text, amount: new Decimal('1.5') }));

    // Act
    const full = await readPage(rowsOf(rows), 3, (row) => row, keyOf);
    const last = await readPage(readByKey({ limit: 100 }, 100, keyOf, async () => rows), 100, (row) => row, keyOf);

    // Assess
    for (const page of [full, last]) expect(jsonOf(page)).toBe(JSON.stringify(page));
    expect(full.next_cursor).not.toBeNull();
    expect(last.next_cursor).toBeNull();
  });

  it('cannot change after its JSON was written', async () => {
    const page = await readPage(rowsOf([{ id: '00' }]), 10, (row) => row, keyOf);
    expect(() => page.items.push({ id: '01' })).toThrow(TypeError);
    expect(() => Object.assign(page, { next_cursor: 'x' })).toThrow(TypeError);
  });

  it('is serialized as usual when built otherwise', () => {
    const body = { items: [{ id: '00' }], next_cursor: null };
    expect(jsonOf(body)).toBe(JSON.stringify(body));
  });
});

describe('a response budget', () => {
  it.each([
    ['ASCII', 'x'],
    ['quotes, escaped once more', '"'],
    ['3-byte characters', '€'],
    ['control characters', '\u0001'],
  ])('admits items exactly while their escaped bytes fit (%s)', (_what, char) => {
    // Prepare: items whose exact total crosses the limit somewhere in the middle.
    const jsons = Array.from({ length: 40 }, (_, index) => JSON.stringify({ text: char.repeat(50 + index) }));
    const limit = 2_000;
    const fits = responseBudget(limit);

    // Act
    const admitted = jsons.map((json) => fits(json));

    // Assess
    let total = 0;
    const expected = jsons.map((json) => (total += escapedBytesOf(json)) <= limit);
    expect(admitted).toEqual(expected);
    expect(admitted).toContain(false);
  });
});
