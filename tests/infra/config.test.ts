import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { StageConfigError, stageConfig } from '../../infra/config';

const configWith = (context: Record<string, unknown>) => stageConfig(new App({ context }).node);
const PROD = { stage: 'prod', corsOrigins: 'https://app.tokenstocks.example' };

describe('stage settings from CDK context', () => {
  it('reads -c opsEmails as a comma-separated list', () => {
    expect(configWith({ opsEmails: ' a@example.com,b@example.com ' }).opsEmails).toEqual(['a@example.com', 'b@example.com']);
  });

  it('lets other stages run without operators to e-mail', () => {
    expect(configWith({}).opsEmails).toEqual([]);
  });

  it.each([
    ['production without operators', { ...PROD }, /stage=prod needs -c opsEmails/],
    ['something that is not an address', { opsEmails: 'a@example.com,ops-team' }, /e-mail addresses, got ops-team/],
    ['an address twice', { opsEmails: 'a@example.com,a@example.com' }, /names a@example.com twice/],
  ])('refuses %s', (_case, context, message) => {
    expect(() => configWith(context)).toThrow(StageConfigError);
    expect(() => configWith(context)).toThrow(message);
  });

  it.each([
    ['dev, by default', {}, false],
    ['dev, with -c dualControl=on', { dualControl: 'on' }, true],
    ['dev, with -c dualControl=off', { dualControl: 'off' }, false],
    ['prod, by default', { ...PROD, opsEmails: 'a@example.com' }, true],
    ['prod, with -c dualControl=on', { ...PROD, opsEmails: 'a@example.com', dualControl: 'on' }, true],
  ])('runs dual control on %s: %s', (_case, context, enabled) => {
    expect(configWith(context).dualControl).toBe(enabled);
  });

  it.each([
    ['dual control off in production', { ...PROD, opsEmails: 'a@example.com', dualControl: 'off' }, /stage=prod runs with dual control on/],
    ['a dual control setting other than on or off', { dualControl: 'true' }, /dualControl must be on or off, got true/],
  ])('refuses %s', (_case, context, message) => {
    expect(() => configWith(context)).toThrow(StageConfigError);
    expect(() => configWith(context)).toThrow(message);
  });

  it('is frozen once read', () => {
    const config = configWith({ ...PROD, opsEmails: 'a@example.com' });

    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.opsEmails)).toBe(true);
    expect(Object.isFrozen(config.logs)).toBe(true);
  });
});
