import { describe, expect, it } from 'vitest';
import * as z from '../../shared/zod';
import { decimalText, idText } from '../../shared/http/schemas';
import { NGNTS } from '../../shared/quantities';
import { defineRoute } from '../../shared/http/route';
import { buildOpenApiDocument } from '../../shared/openapi/document';
import { responseChecker, unexercisedSuccesses } from '../support/response-check';

const item = z.object({ id: idText, amount: decimalText(NGNTS) });
const routes = {
  getItem: defineRoute({
    method: 'GET',
    path: '/api/items/{id}',
    access: ['admin'],
    handler: 'functions/items/get-item.ts',
    summary: 'An item',
    request: { path: z.object({ id: z.uuid() }) },
    response: { body: item },
    uses: ['database'],
  }),
  recordItem: defineRoute({
    method: 'POST',
    path: '/api/items',
    access: ['admin'],
    handler: 'functions/items/record-item.ts',
    summary: 'Record an item',
    request: { body: z.strictObject({ amount: z.string() }) },
    response: { status: 201, body: item },
    dualControl: 'Every item',
    example: { body: { amount: '1.00' } },
    uses: ['database'],
  }),
  exportItems: defineRoute({
    method: 'GET',
    path: '/api/items.csv',
    access: ['admin'],
    handler: 'functions/items/export-items.ts',
    summary: 'Items as CSV',
    request: {},
    response: { body: z.string().check(z.regex(/^id,amount\r\n/)), contentTypes: ['text/csv'] },
    uses: ['database'],
  }),
};
const document = buildOpenApiDocument(routes);
const check = responseChecker(document);
const ID = '33333333-3333-4333-8333-333333333333';
const json = (type = 'application/json') => new Headers({ 'content-type': type });
const getItem = (status: number, body: unknown, headers = json()) => check({ method: 'GET', path: `/api/items/${ID}?x=1`, status, headers, body });

describe('the response check', () => {
  it('passes a response as the document describes it, and names the operation and status', () => {
    const result = getItem(200, { id: ID, amount: '12.50' });

    expect(result).toEqual({ exercised: { operationId: 'getItem', status: 200 }, errors: [] });
  });

  it.each([
    ['an amount as a JSON number', { id: ID, amount: 12.5 }],
    ['an amount at another scale', { id: ID, amount: '12.5' }],
    ['a member the document does not have', { id: ID, amount: '12.50', extra: true }],
    ['a missing member', { id: ID }],
    ['an id that is not a UUID', { id: 'x', amount: '12.50' }],
  ])('refuses a body with %s', (_case, body) => {
    expect(getItem(200, body).errors).toEqual([
      expect.stringContaining("getItem (GET /api/items/33333333-3333-4333-8333-333333333333?x=1) answered 200 with a body its document's schema refuses"),
    ]);
  });

  it('refuses a status the operation does not document', () => {
    expect(getItem(418, {}).errors).toEqual([expect.stringContaining('answered 418, a status its document does not list')]);
  });

  it('refuses a content type the status does not document', () => {
    expect(getItem(200, 'id,amount', json('text/csv')).errors).toEqual([expect.stringContaining('as text/csv, not as its document says: application/json')]);
  });

  it('checks refusals against Problem Details, and the gateway’s own 500 against its message', () => {
    const problem = { type: '/problems/not-found', title: 'Not found', status: 404, detail: 'No item' };

    expect(getItem(404, problem, json('application/problem+json')).errors).toEqual([]);
    expect(getItem(404, { message: 'Not found' }, json('application/problem+json')).errors).toHaveLength(1);
    expect(getItem(500, { message: 'Internal Server Error' }).errors).toEqual([]);
    expect(getItem(503, { ...problem, status: 503, type: '/problems/temporarily-unavailable' }, json('application/problem+json')).errors).toEqual([]);
  });

  it('checks text bodies against their string schema', () => {
    const csv = (body: string) => check({ method: 'GET', path: '/api/items.csv', status: 200, headers: json('text/csv; charset=utf-8'), body }).errors;

    expect(csv('id,amount\r\n')).toEqual([]);
    expect(csv('amount,id\r\n')).toHaveLength(1);
  });

  it('checks the proposal a dual-controlled write answers with', () => {
    const proposal = (body: unknown) => check({ method: 'POST', path: '/api/items', status: 202, headers: json(), body }).errors;

    expect(proposal({ id: ID, amount: '1.00' })).toHaveLength(1);
  });

  it('leaves a path no operation has to the gateway', () => {
    expect(check({ method: 'GET', path: '/api/nothing', status: 404, headers: json(), body: {} })).toEqual({ errors: [] });
  });
});

describe('the success coverage', () => {
  it('lists every documented success no response exercised, the proposals of dual-controlled writes included', () => {
    const missing = unexercisedSuccesses(document, [
      { operationId: 'getItem', status: 200 },
      { operationId: 'getItem', status: 404 },
      { operationId: 'recordItem', status: 201 },
    ]);

    expect(missing).toEqual(['recordItem 202', 'exportItems 200']);
  });
});
