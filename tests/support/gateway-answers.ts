import { expect } from 'vitest';
import type { ApiResponse } from './api';

/** What API Gateway's HTTP API answers by itself, by status (local/gateway-answers.ts). */
export const GATEWAY_MESSAGES: Record<number, string> = {
  401: 'Unauthorized',
  404: 'Not Found',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** Whether the gateway answered by itself: `{"message": …}` as application/json, not a function's Problem Details. */
export const isGatewayAnswer = (response: ApiResponse): boolean =>
  response.headers.get('content-type') === 'application/json' &&
  response.body?.message === GATEWAY_MESSAGES[response.status] &&
  Object.keys(response.body).length === 1;

export function expectGatewayAnswer(response: ApiResponse, status: number, detail = ''): void {
  const shown = `${detail} ${JSON.stringify(response.body).slice(0, 300)}`;
  expect(response.status, shown).toBe(status);
  expect(response.headers.get('content-type'), shown).toBe('application/json');
  expect(response.body, shown).toEqual({ message: GATEWAY_MESSAGES[status] });
  expect(response.headers.get('apigw-requestid'), shown).toEqual(expect.any(String));
}
