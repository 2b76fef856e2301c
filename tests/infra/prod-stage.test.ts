import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { schedules } from '../../functions/schedules';
import { appFunctionEnvironments, resourcesOf, synthesizeStage } from './synthesize';

const { stateful, stateless, violations } = synthesizeStage({
  stage: 'prod',
  corsOrigins: 'https://app.tokenstocks.example',
  opsEmails: 'ops@tokenstocks.example, oncall@tokenstocks.example',
});
const templates = [stateful, stateless];

describe('the prod stage (-c stage=prod)', () => {
  it('passes the cdk-nag AwsSolutions checks', () => {
    expect(violations).toBeNull();
  });

  it("runs every schedule at the table's own rate: the warm database has no pause to keep", () => {
    const rates = Object.values(resourcesOf(stateless, 'AWS::Scheduler::Schedule')).map((schedule) => schedule.Properties?.ScheduleExpression);

    expect(rates.sort()).toEqual(
      Object.values(schedules)
        .map(({ everyMinutes }) => `rate(${everyMinutes} ${everyMinutes === 1 ? 'minute' : 'minutes'})`)
        .sort(),
    );
  });

  it('names its service apart from every other stage, so no two stages share a metric or an alarm', () => {
    const services = new Set(appFunctionEnvironments(stateless).map((variables) => variables.POWERTOOLS_SERVICE_NAME));

    expect([...services]).toEqual(['tokenstocks-prod']);
  });

  it('runs every function with dual control on (README "Dual control")', () => {
    const settings = new Set(appFunctionEnvironments(stateless).map((variables) => variables.DUAL_CONTROL));

    expect([...settings]).toEqual(['on']);
  });

  it('protects the database from deletion and snapshots it if its stack is deleted', () => {
    stateful.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Snapshot',
      Properties: Match.objectLike({ DeletionProtection: true, BackupRetentionPeriod: 14 }),
    });
  });

  it('keeps the database warm and the users when the stack goes', () => {
    stateful.hasResourceProperties('AWS::RDS::DBCluster', {
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: Match.anyValue() },
    });
    stateful.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }) });
  });

  it('keeps every log group when its stack is deleted or updated, but not when the deployment that created it rolls back', () => {
    const logGroups = templates.flatMap((template) => Object.values(resourcesOf(template, 'AWS::Logs::LogGroup')));

    expect(logGroups.length).toBeGreaterThan(0);
    for (const logGroup of logGroups) {
      expect(logGroup).toMatchObject({ DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    }
  });

  it('leaves nothing behind after a rolled-back first deploy that the next deploy could collide with', () => {
    // Plain Retain survives the rollback of the deployment that created a resource; only the
    // user pool may have it: deletion protection would fail its rollback delete, and it has no fixed name.
    const retained = templates.flatMap((template) =>
      Object.values(template.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string; Properties?: Record<string, unknown> }>)
        .filter((resource) => resource.DeletionPolicy === 'Retain'),
    );

    expect(retained.map((resource) => resource.Type)).toEqual(['AWS::Cognito::UserPool']);
    expect(retained[0]?.Properties?.UserPoolName).toBeUndefined();
  });

  it('e-mails the alarms to every address of -c opsEmails', () => {
    const [topicId] = Object.keys(resourcesOf(stateful, 'AWS::SNS::Topic'));
    const subscriptions = Object.values(resourcesOf(stateful, 'AWS::SNS::Subscription')).map((subscription) => subscription.Properties);

    expect(subscriptions).toEqual([
      { Protocol: 'email', Endpoint: 'ops@tokenstocks.example', TopicArn: { Ref: topicId } },
      { Protocol: 'email', Endpoint: 'oncall@tokenstocks.example', TopicArn: { Ref: topicId } },
    ]);
  });

  it('allows only the configured origins', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://app.tokenstocks.example'] }),
    });
  });
});
