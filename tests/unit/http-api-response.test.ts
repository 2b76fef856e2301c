import { describe, expect, it } from 'vitest';
import { httpResponseOf, INTEGRATION_FAILURE } from '../../local/http-api-response';
import { responseTooLarge, timedOut } from '../../local/lambda/function-error';

const succeeded = (payload: unknown) => ({ requestId: 'r', ok: true as const, payload });

describe('httpResponseOf: what the HTTP API makes of a Lambda result (payload format 2.0)', () => {
  it('passes a proxy result through: status, headers, cookies and body', () => {
    const response = httpResponseOf(
      succeeded({ statusCode: 201, headers: { 'content-type': 'text/csv', 'x-count': 3 }, cookies: ['a=1', 'b=2'], body: 'x,y' }),
    );

    expect(response).toEqual({ statusCode: 201, headers: { 'content-type': 'text/csv', 'x-count': '3', 'set-cookie': ['a=1', 'b=2'] }, body: 'x,y' });
  });

  it('decodes a base64 body', () => {
    const response = httpResponseOf(succeeded({ statusCode: 200, body: Buffer.from('binary').toString('base64'), isBase64Encoded: true }));

    expect(response.body).toEqual(Buffer.from('binary'));
  });

  it.each([
    { payload: { message: 'hi' }, body: '{"message":"hi"}' },
    { payload: 'hello', body: 'hello' },
    { payload: [1, 2], body: '[1,2]' },
    { payload: null, body: 'null' },
  ])('answers 200 application/json with a result that has no statusCode: $body', ({ payload, body }) => {
    expect(httpResponseOf(succeeded(payload))).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json' }, body });
  });

  it.each([
    { case: 'a function error', invocation: { requestId: 'r', ok: false as const, error: { errorType: 'Error', errorMessage: 'boom', trace: [] } } },
    { case: 'a timeout', invocation: { requestId: 'r', ok: false as const, error: timedOut('r', 29) } },
    { case: 'a response over 6 MB', invocation: { requestId: 'r', ok: false as const, error: responseTooLarge() } },
    { case: 'a statusCode that is not a number', invocation: succeeded({ statusCode: '200', body: '' }) },
    { case: 'a body that is not a string', invocation: succeeded({ statusCode: 200, body: { a: 1 } }) },
    { case: 'headers that are not an object', invocation: succeeded({ statusCode: 200, headers: 'x', body: '' }) },
  ])('answers 500 Internal Server Error for $case', ({ invocation }) => {
    expect(httpResponseOf(invocation)).toEqual(INTEGRATION_FAILURE);
    expect(INTEGRATION_FAILURE).toEqual({ statusCode: 500, headers: { 'content-type': 'application/json' }, body: '{"message":"Internal Server Error"}' });
  });
});
