import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes';
import { BUNDLE_BUDGET_KB, handlerModules } from '../../infra/handler-bundles';
import { STUBBED_KYSELY_MODULES } from '../../infra/kysely-stubs';
import { useHandlerBundles } from '../support/handler-bundles';

const bundles = useHandlerBundles('test-bundles');

describe('Lambda bundles (bundled as infra bundles them)', () => {
  it.each(handlerModules())(`keeps %s within ${BUNDLE_BUDGET_KB} KB minified`, (handler) => {
    expect(bundles.get(handler)!.bytes).toBeLessThanOrEqual(BUNDLE_BUDGET_KB * 1024);
  });

  // The OpenAPI document is built from the table by `npm run openapi`, not at run time.
  it.each(handlerModules())('keeps the whole route table (and every area’s schemas) out of %s', (handler) => {
    expect(Object.keys(bundles.get(handler)!.inputs)).not.toContain('functions/routes/index.ts');
  });

  // Handlers are bundled without a `require` (infra/lambda-bundling.ts): esbuild's stand-in for
  // one, which a CommonJS dependency's require() of a module left out would call, throws on Lambda.
  it.each(handlerModules())('calls no require() in %s', (handler) => {
    expect(readFileSync(bundles.get(handler)!.outfile, 'utf8')).not.toContain('Dynamic require of');
  });

  // Only the deploy-time migration function runs migrations; verify-database needs their names alone.
  it.each(handlerModules())('carries no migration code in %s', (handler) => {
    expect(Object.keys(bundles.get(handler)!.inputs).filter((input) => input.startsWith('migrations/'))).toEqual([]);
  });

  // The schema manifest (40 KB of JSON) rides compressed and is unpacked on the first verification.
  it.each(handlerModules())('carries the schema manifest compressed, not as JSON, in %s', (handler) => {
    expect(Object.keys(bundles.get(handler)!.inputs)).not.toContain('shared/setup/expected-schema.json');
  });

  // Repositories size their reads from db/table-widths.ts; its text limits must not bring every area's request schemas.
  it.each([
    ['functions/health/get-health.ts', []],
    ['functions/users/list-users.ts', ['users']],
    ['functions/projects/get-project.ts', ['projects']],
    ['functions/wallets/list-wallets.ts', ['wallets']],
    ['functions/nav/get-nav-in-force.ts', ['nav', 'projects']],
    ['functions/treasury/get-treasury-balance.ts', ['treasury', 'wallets']],
    ['functions/cashflows/list-project-cashflows.ts', ['cashflows', 'projects']],
    ['functions/distributions/get-distribution.ts', ['distributions', 'projects']],
    ['functions/withdrawals/list-withdrawals.ts', ['withdrawals']],
    ['functions/redemptions/get-redemption.ts', ['redemptions']],
  ])('carries no request schemas of other areas in %s', (handler, areas) => {
    const schemas = Object.keys(bundles.get(handler)!.inputs).filter((input) => /^shared\/[^/]+\/schemas\.ts$/.test(input));
    expect(schemas.filter((input) => !['http', ...areas].includes(input.split('/')[1]!))).toEqual([]);
  });

  // The Data API dialect is Postgres only (shared/db/data-api-dialect.ts): kysely-data-api's entry brought MySQL's too.
  it.each(handlerModules())('carries no MySQL dialect in %s', (handler) => {
    expect(Object.keys(bundles.get(handler)!.inputs).filter((input) => /kysely\/dist\/esm\/dialect\/mysql\//.test(input))).toEqual([]);
  });

  // Kysely's schema builders, merge and with-schema code (~50 KB) serve only the migrations
  // function: every handler gets stubs of them (infra/kysely-stubs.ts).
  it.each(handlerModules())('carries none of Kysely’s schema, merge, with-schema or introspection modules in %s', (handler) => {
    const full = Object.keys(bundles.get(handler)!.inputs).filter((input) => STUBBED_KYSELY_MODULES.some((module) => input.endsWith(`node_modules/kysely/dist/esm/${module}`)));
    expect(full).toEqual([]);
  });

  // A public route that uses no AWS resource answers without the database: publicHandler loads none of it.
  const databaseFree = Object.values(routes).filter((route) => route.access === 'public' && route.uses.length === 0).map((route) => route.handler);
  it.each(databaseFree)('carries no database code in %s', (handler) => {
    expect(Object.keys(bundles.get(handler)!.inputs).filter((input) => /node_modules\/kysely\/|^shared\/db\/client\.ts$/.test(input))).toEqual([]);
  });

  // Rejecting or withdrawing a proposal writes only the decision: the writes an approval makes
  // (NAV, tokens, treasury: their `*-proposals.ts`, checks and schemas) are approve-proposal's alone.
  it.each(['functions/proposals/reject-proposal.ts', 'functions/proposals/withdraw-proposal.ts', 'functions/proposals/get-proposal.ts'])(
    'carries no dual-controlled write in %s',
    (handler) => {
      expect(Object.keys(bundles.get(handler)!.inputs).filter((input) => /^shared\/[^/]+\/[a-z-]+-proposals\.ts$/.test(input))).toEqual([]);
    },
  );

  // Config readers are memoized at module scope; a bundle keeps only those it calls (shared/config.ts).
  it.each(handlerModules().filter((handler) => handler !== 'functions/withdrawals/request-withdrawal.ts'))(
    'carries no reader of the withdrawal limits in %s',
    (handler) => {
      expect(readFileSync(bundles.get(handler)!.outfile, 'utf8')).not.toContain('WITHDRAWAL_MINIMUM_AMOUNT');
    },
  );

  // `import { z } from 'zod'` is zod's namespace as a value: every locale (258 KB) comes with it.
  it.each(handlerModules())('carries none of zod’s locales but English in %s', (handler) => {
    const locales = Object.keys(bundles.get(handler)!.inputs).filter((input) => /zod\/v4\/locales\/(?!en\.js)/.test(input));
    expect(locales).toEqual([]);
  });

  // Classic zod's schemas carry every method (~96 KB a bundle, and most of a module's start-up):
  // schemas are built with zod/mini through shared/zod.ts.
  it.each(handlerModules())('carries no classic zod in %s', (handler) => {
    const classic = Object.keys(bundles.get(handler)!.inputs).filter((input) => input.includes('zod/v4/classic/'));
    expect(classic).toEqual([]);
  });

  // Only a POST takes an Idempotency-Key (shared/http/post-handler.ts): no other handler loads the runner.
  const postHandlers = new Set<string>(Object.values(routes).filter((route) => route.method === 'POST').map((route) => route.handler));
  it.each(handlerModules().filter((handler) => !postHandlers.has(handler)))('carries no idempotency runner in %s (not a POST)', (handler) => {
    expect(Object.keys(bundles.get(handler)!.inputs)).not.toContain('shared/http/idempotency.ts');
  });

  // The runner is ours, over idempotency_records: Powertools Idempotency with its JMESPath weighed ~36 KB in every POST.
  it.each(handlerModules())('carries no Powertools Idempotency or JMESPath in %s', (handler) => {
    const idempotency = Object.keys(bundles.get(handler)!.inputs).filter((input) => /@aws-lambda-powertools\/(idempotency|jmespath)\//.test(input));
    expect(idempotency).toEqual([]);
  });
});
