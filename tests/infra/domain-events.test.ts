import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { schedules } from '../../functions/schedules';
import { StageConfigError, stageConfig } from '../../infra/config';
import { iamStatements, resourcesOf, synthesizeStage } from './synthesize';

/**
 * Issue 12, items 1 and 2 on AWS: a bus per stage for the domain events and a topic for the
 * approvers, both in the Stateful stack; only the outbox relay may put events and publish, and
 * only there.
 */
const { stateful, stateless, violations } = synthesizeStage({ approverEmails: 'ada@example.com, ben@example.com' });
const functions = resourcesOf(stateless, 'AWS::Lambda::Function');
const busId = Object.keys(resourcesOf(stateful, 'AWS::Events::EventBus'))[0] ?? '';
const approversTopicId = Object.keys(resourcesOf(stateful, 'AWS::SNS::Topic')).find((id) => id.startsWith('Approvers')) ?? '';
const relayId = Object.keys(functions).find((id) => /^SchedulesRelayOutbox[0-9A-F]{8}$/.test(id)) ?? '';

/** The functions whose environment names a variable, by logical id. */
const functionsWith = (variable: string) =>
  Object.entries(functions)
    .filter(([, fn]) => variable in (fn.Properties?.Environment?.Variables ?? {}))
    .map(([id]) => id);

/** Every statement that allows one of these actions, across both stacks' policies. */
const statementsAllowing = (action: string) =>
  [...iamStatements(stateful), ...iamStatements(stateless)].filter((statement) => [statement.Action].flat().includes(action));

/** The statement's resource as the Stateless stack imports it from the Stateful stack's export. */
const importedExport = (resource: unknown): string => JSON.stringify(resource);

describe('domain events and approvers on AWS', () => {
  it('pass cdk-nag with the bus, the topic and their grants', () => {
    expect(violations).toBeNull();
  });

  it('put domain events on one bus per stage, named after it, in the Stateful stack', () => {
    stateful.resourceCountIs('AWS::Events::EventBus', 1);
    stateful.hasResourceProperties('AWS::Events::EventBus', { Name: 'tokenstocks-dev' });
    stateful.hasOutput('EventBusName', Match.anyValue());
    stateful.hasOutput('EventBusArn', Match.anyValue());
    stateless.resourceCountIs('AWS::Events::EventBus', 0);
  });

  it('tell approvers through an SNS topic of their own, encrypted and refusing publishers without TLS, e-mailing each of -c approverEmails', () => {
    expect(resourcesOf(stateful, 'AWS::SNS::Topic')[approversTopicId]?.Properties).toMatchObject({
      KmsMasterKeyId: expect.anything(),
      DisplayName: 'TokenStocks approvals',
    });
    expect(JSON.stringify(resourcesOf(stateful, 'AWS::SNS::Topic')[approversTopicId]?.Properties?.KmsMasterKeyId)).toContain('alias/aws/sns');
    stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: approversTopicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    const subscriptions = Object.values(resourcesOf(stateful, 'AWS::SNS::Subscription')).map((subscription) => subscription.Properties);
    expect(subscriptions).toEqual([
      expect.objectContaining({ Protocol: 'email', Endpoint: 'ada@example.com', TopicArn: { Ref: approversTopicId } }),
      expect.objectContaining({ Protocol: 'email', Endpoint: 'ben@example.com', TopicArn: { Ref: approversTopicId } }),
    ]);
    stateful.hasOutput('ApproversTopicArn', Match.anyValue());
  });

  it('let the outbox relay alone put events, on that bus only, and publish, to that topic only', () => {
    expect(schedules.relayOutbox.uses).toEqual(expect.arrayContaining(['event-bus', 'approvers-topic']));
    expect(functionsWith('EVENT_BUS_NAME')).toEqual([relayId]);
    expect(functionsWith('APPROVERS_TOPIC_ARN')).toEqual([relayId]);

    const puts = statementsAllowing('events:PutEvents');
    const publishes = statementsAllowing('sns:Publish').filter((statement) => (statement as { Effect?: string }).Effect === 'Allow');
    expect(puts).toHaveLength(1);
    expect(publishes).toHaveLength(1);
    expect(importedExport(puts[0]?.Resource)).toContain(busId);
    expect(importedExport(publishes[0]?.Resource)).toContain(approversTopicId);
    expect([puts[0]?.Action].flat()).toEqual(['events:PutEvents']);
    expect([publishes[0]?.Action].flat()).toEqual(['sns:Publish']);
  });

  it('refuses an approver that is not an e-mail address', () => {
    expect(() => stageConfig(new App({ context: { approverEmails: 'ada@example.com,approvals-team' } }).node)).toThrow(StageConfigError);
  });
});
