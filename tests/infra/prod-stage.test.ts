import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthesizeStage } from './synthesize';

const { stateful, stateless, violations } = synthesizeStage({ stage: 'prod', corsOrigins: 'https://app.tokenstocks.example' });

describe('the prod stage (-c stage=prod)', () => {
  it('passes the cdk-nag AwsSolutions checks', () => {
    expect(violations).toBeNull();
  });

  it('protects the database from deletion and snapshots it if its stack is deleted', () => {
    stateful.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Snapshot',
      Properties: Match.objectLike({ DeletionProtection: true, BackupRetentionPeriod: 14 }),
    });
  });

  it('keeps the database warm and the users and logs when the stack goes', () => {
    stateful.hasResourceProperties('AWS::RDS::DBCluster', {
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: Match.anyValue() },
    });
    stateful.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }) });
    stateless.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
  });

  it('allows only the configured origins', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://app.tokenstocks.example'] }),
    });
  });
});
