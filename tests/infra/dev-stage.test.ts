import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes';
import { schedules } from '../../functions/schedules';
import { redemptionWorkflowSteps } from '../../functions/workflow';
import { queues, type WorkerDefinition, workers } from '../../functions/workers';
import { API_THROTTLE } from '../../infra/api-throttle';
import { migrationsHash } from '../../infra/constructs/database-migrations';
import { pascalCase, workerConstructId } from '../../infra/naming';
import { routeAreaOf } from '../../infra/route-areas';
import type { ResourceUse, RouteDefinition } from '../../shared/http/route';
import { MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT_FACTOR } from '../../shared/queue/queues';
import { appFunctionEnvironments, iamStatements, resourcesOf, synthesizeStage } from './synthesize';

const { stateful, stateless, violations, nestedStackOf } = synthesizeStage();
const routeEntries = Object.entries(routes) as [string, RouteDefinition][];
const [operationsTopicId] = Object.keys(resourcesOf(stateful, 'AWS::SNS::Topic')).filter((id) => id.startsWith('Operations'));
const workerEntries = Object.entries(workers as Record<string, WorkerDefinition>);
const scheduleEntries = Object.entries(schedules);

const functions = resourcesOf(stateless, 'AWS::Lambda::Function');
const [migrationResourceId] = Object.keys(resourcesOf(stateless, 'Custom::DatabaseMigrations'));
const integrationFunction = (integrationId: string): string => {
  const integration = resourcesOf(stateless, 'AWS::ApiGatewayV2::Integration')[integrationId];
  return integration?.Properties?.IntegrationUri?.['Fn::GetAtt']?.[0];
};
const routeByKey = (key: string) =>
  Object.values(resourcesOf(stateless, 'AWS::ApiGatewayV2::Route')).find((route) => route.Properties?.RouteKey === key);
const functionOfRoute = (route: RouteDefinition) => {
  const target: string = routeByKey(`${route.method} ${route.path}`)?.Properties?.Target?.['Fn::Join']?.[1]?.[1]?.Ref;
  return integrationFunction(target);
};
const functionOfWorker = (name: string, worker: WorkerDefinition) =>
  Object.keys(functions).find((id) => new RegExp(`^Workers${workerConstructId(name, worker)}[0-9A-F]{8}$`).test(id));
/** The actions a function's role may take, from its role's policy. */
const actionsOf = (functionId: string | undefined): string[] => {
  const role = functions[functionId ?? '']?.Properties?.Role?.['Fn::GetAtt']?.[0];
  const policy = Object.values(resourcesOf(stateless, 'AWS::IAM::Policy')).find((candidate) =>
    (candidate.Properties?.Roles ?? []).some((roleRef: { Ref: string }) => roleRef.Ref === role),
  );
  return (policy?.Properties?.PolicyDocument.Statement ?? []).flatMap((statement: { Action: string | string[] }) => [statement.Action].flat());
};
/** A work queue's logical ids: `AllocationQueue…` and `AllocationQueueDeadLetters…`. */
const queueIds = (name: string) => {
  const ids = Object.keys(resourcesOf(stateful, 'AWS::SQS::Queue'));
  return {
    queue: ids.find((id) => new RegExp(`^${pascalCase(name)}Queue[0-9A-F]{8}$`).test(id)),
    deadLetters: ids.find((id) => new RegExp(`^${pascalCase(name)}QueueDeadLetters[0-9A-F]{8}$`).test(id)),
  };
};

describe('the dev stage', () => {
  it('passes the cdk-nag AwsSolutions checks with every acknowledgment justified in code', () => {
    expect(violations).toBeNull();
  });

  it('runs every function with dual control off, as no -c dualControl=on asks for it (README "Dual control")', () => {
    const settings = new Set(appFunctionEnvironments(stateless).map((variables) => variables.DUAL_CONTROL));

    expect([...settings]).toEqual(['off']);
  });

  describe('API', () => {
    it.each(routeEntries)('serves %s with a function of its own on Node.js 22, arm64', (_name, route) => {
      const functionId = functionOfRoute(route);

      expect(functionId).toBeDefined();
      expect(functions[functionId]?.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Description: expect.stringContaining(`${route.method} ${route.path}`),
      });
    });

    it('has exactly one function per route', () => {
      const routed = new Set(routeEntries.map(([, route]) => functionOfRoute(route)));
      expect(routed.size).toBe(routeEntries.length);
      expect(resourcesOf(stateless, 'AWS::ApiGatewayV2::Route')).toSatisfy((all: object) => Object.keys(all).length === routeEntries.length);
    });

    it('serves each area of the route table (functions/<area>/) from a nested stack of its own', () => {
      const stacksByArea = new Map<string, Set<string | undefined>>();
      for (const [, route] of routeEntries) {
        const stacks = stacksByArea.get(routeAreaOf(route)) ?? new Set();
        stacks.add(nestedStackOf(functionOfRoute(route)));
        stacksByArea.set(routeAreaOf(route), stacks);
      }
      const stackOfEachArea = [...stacksByArea.values()].map((stacks) => [...stacks]);

      expect(stackOfEachArea.every((stacks) => stacks.length === 1 && stacks[0] !== undefined)).toBe(true);
      expect(new Set(stackOfEachArea.flat()).size).toBe(stacksByArea.size);
    });

    it.each(routeEntries)('guards %s with the JWT authorizer unless it is public', (_name, route) => {
      const properties = routeByKey(`${route.method} ${route.path}`)?.Properties;
      if (route.access === 'public') {
        expect(properties?.AuthorizationType).toBe('NONE');
      } else {
        expect(properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: expect.any(String) } });
      }
    });

    it("accepts the user pool's ID tokens", () => {
      stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [{ 'Fn::ImportValue': Match.stringLikeRegexp('IdentityUsersAppClient') }],
          Issuer: { 'Fn::Join': ['', Match.arrayWith(['https://cognito-idp.', '.amazonaws.com/'])] },
        },
      });
      stateful.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admin' });
      stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', { GenerateSecret: false });
    });

    it('sets CORS and throttling, each route at the rate and burst the local gateway mirrors', () => {
      stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: Match.objectLike({ AllowOrigins: ['*'], AllowHeaders: Match.arrayWith(['authorization']) }),
      });
      stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        DefaultRouteSettings: { ThrottlingRateLimit: API_THROTTLE.dev.rateLimit, ThrottlingBurstLimit: API_THROTTLE.dev.burstLimit },
        AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      });
    });
    it.each(routeEntries.filter(([, route]) => route.bundledFiles !== undefined))(
      '%s finds the package files it reads at run time next to its handler',
      (_name, route) => {
        const dirEnv = route.bundledFiles?.dirEnv ?? '';
        expect(functions[functionOfRoute(route)]?.Properties?.Environment?.Variables?.[dirEnv]).toBe('/var/task');
      },
    );
  });

  describe('messaging', () => {
    it.each(Object.keys(queues))('gives the %s queue a dead-letter queue and an alarm on its depth', (name) => {
      const { queue: queueId, deadLetters } = queueIds(name);
      const queue = resourcesOf(stateful, 'AWS::SQS::Queue')[queueId ?? ''];

      expect(queue?.Properties?.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters, 'Arn'] },
        maxReceiveCount: MAX_RECEIVE_COUNT,
      });
      stateful.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetters, 'QueueName'] } }],
        Threshold: 1,
        AlarmActions: [{ Ref: operationsTopicId }],
        OKActions: [{ Ref: operationsTopicId }],
      });
    });

    it('keeps the ids the calculation\'s worker and queue were deployed under (a new id replaces them)', () => {
      expect(functionOfWorker('calculateAllocations', workers.calculateAllocations)).toMatch(/^WorkersAllocateDistribution[0-9A-F]{8}$/);
      expect(queueIds('allocation')).toEqual({
        queue: expect.stringMatching(/^AllocationQueue[0-9A-F]{8}$/),
        deadLetters: expect.stringMatching(/^AllocationQueueDeadLetters[0-9A-F]{8}$/),
      });
    });

    it.each(workerEntries)('feeds %s from its queue, reporting batch item failures', (name, worker) => {
      const functionId = functionOfWorker(name, worker);
      const queue = resourcesOf(stateful, 'AWS::SQS::Queue')[queueIds(worker.queue).queue ?? ''];

      stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId },
        BatchSize: worker.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      expect(functions[functionId ?? '']?.Properties).toMatchObject({
        Timeout: worker.timeoutSeconds,
        MemorySize: worker.memoryMb,
        Environment: { Variables: expect.objectContaining({ MAX_RECEIVE_COUNT: String(MAX_RECEIVE_COUNT) }) },
      });
      expect(queue?.Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(VISIBILITY_TIMEOUT_FACTOR * worker.timeoutSeconds);
    });
  });

  describe('operations topic', () => {
    const [keyId] = Object.keys(resourcesOf(stateful, 'AWS::KMS::Key'));

    it('is an SNS topic of its own (the approvers have theirs), encrypted with a rotated key of its own, refusing publishers without TLS', () => {
      stateful.resourceCountIs('AWS::SNS::Topic', 2);
      expect(resourcesOf(stateful, 'AWS::SNS::Topic')[operationsTopicId ?? '']?.Properties).toMatchObject({ KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      stateful.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: operationsTopicId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it("lets this account's CloudWatch alarms publish to it, through its key", () => {
      stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: { 'aws:SourceArn': Match.anyValue() } },
            }),
          ]),
        },
      });
      stateful.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
          ]),
        },
      });
    });

    it('has no subscribers unless -c opsEmails names some', () => {
      stateful.resourceCountIs('AWS::SNS::Subscription', 0);
    });
  });

  describe('schedules', () => {
    const functionOfSchedule = (name: string) =>
      Object.keys(functions).find((id) => new RegExp(`^Schedules${pascalCase(name)}[0-9A-F]{8}$`).test(id)) ?? '';
    const alarmsOf = (functionId: string) =>
      Object.values(resourcesOf(stateless, 'AWS::CloudWatch::Alarm'))
        .map((alarm) => alarm.Properties ?? {})
        .filter((alarm) => alarm.Namespace === 'AWS/Lambda' && alarm.Dimensions?.[0]?.Value?.Ref === functionId);
    /** The Step Functions actions each workflow use allows. */
    const workflowActions: Partial<Record<ResourceUse, string[]>> = {
      'redemption-workflow:start': ['states:StartExecution'],
      'redemption-workflow:decide': ['states:SendTaskFailure', 'states:SendTaskSuccess'],
      'redemption-workflow:describe': ['states:DescribeExecution', 'states:ListExecutions'],
    };

    it.each(scheduleEntries)('runs %s on an EventBridge Scheduler schedule, no more often than every 30 min so the dev database can pause, after the migrations', (name, scheduled) => {
      const functionId = functionOfSchedule(name);
      // The dev cluster pauses after 10 idle minutes; a run reaches the database: at most every 3 × 10 minutes.
      const minutes = Math.max(scheduled.everyMinutes, 30);

      stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`,
        State: 'ENABLED',
        Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId, 'Arn'] } }),
      });
      expect(functions[functionId]?.Properties).toMatchObject({ Timeout: scheduled.timeoutSeconds, MemorySize: scheduled.memoryMb });
      expect(functions[functionId]?.DependsOn).toContain(migrationResourceId);
    });

    it.each(scheduleEntries)('retries %s only by its next run', (name) => {
      const functionId = functionOfSchedule(name);

      stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
        Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId, 'Arn'] }, RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 0 }) }),
      });
      stateless.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: functionId }, MaximumRetryAttempts: 0 });
    });

    it.each(scheduleEntries)('gives %s the environment and access its `uses` declare, nothing more', (name, scheduled) => {
      const functionId = functionOfSchedule(name);
      const uses = scheduled.uses as readonly ResourceUse[];
      const variables = Object.keys(functions[functionId]?.Properties?.Environment?.Variables ?? {});
      const actions = actionsOf(functionId);

      expect(variables.includes('DB_CLUSTER_ARN')).toBe(uses.includes('database'));
      expect(actions.includes('rds-data:ExecuteStatement')).toBe(uses.includes('database'));
      for (const [queue, { envVar, use }] of Object.entries(queues)) {
        expect([queue, variables.includes(envVar)]).toEqual([queue, uses.includes(use)]);
      }
      expect(actions.includes('sqs:SendMessage')).toBe(Object.values(queues).some(({ use }) => uses.includes(use)));
      expect(actions.filter((action) => action.startsWith('states:')).sort()).toEqual(uses.flatMap((use) => workflowActions[use] ?? []).sort());
      expect(variables.includes('REDEMPTION_STATE_MACHINE_ARN')).toBe(uses.some((use) => use.startsWith('redemption-workflow:') && use !== 'redemption-workflow:decide'));
    });

    it.each(scheduleEntries)('tells the operators when %s errors or stops running', (name) => {
      const topic = { 'Fn::ImportValue': expect.stringContaining('OperationsTopic') };
      const alarms = alarmsOf(functionOfSchedule(name));

      expect(alarms).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ MetricName: 'Errors', ComparisonOperator: 'GreaterThanThreshold', Threshold: 0, TreatMissingData: 'notBreaching' }),
          expect.objectContaining({ MetricName: 'Invocations', ComparisonOperator: 'LessThanThreshold', Threshold: 1, TreatMissingData: 'breaching' }),
        ]),
      );
      for (const alarm of alarms) expect(alarm).toMatchObject({ AlarmActions: [topic], OKActions: [topic] });
    });
  });

  describe('redemption workflow', () => {
    const stateMachines = resourcesOf(stateless, 'AWS::StepFunctions::StateMachine');
    const [stateMachineId, stateMachine] = Object.entries(stateMachines)[0] ?? [];

    it('is one Standard state machine, traced, logging every event without execution data', () => {
      expect(Object.keys(stateMachines)).toHaveLength(1);
      expect(stateMachine?.Properties).toMatchObject({
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      });
    });

    it.each(Object.keys(redemptionWorkflowSteps))('runs its %s step on a function of its own', (step) => {
      const functionId = Object.keys(functions).find((id) => new RegExp(`^RedemptionWorkflow${pascalCase(step)}[0-9A-F]{8}$`).test(id));
      const definition = JSON.stringify(stateMachine?.Properties?.DefinitionString);

      expect(functionId).toBeDefined();
      expect(definition).toContain(`"${functionId}","Arn"`);
      expect(functions[functionId ?? '']?.DependsOn).toContain(migrationResourceId);
    });

    it.each(workerEntries)('lets worker %s start executions only if it declares so', (name, worker) => {
      const actions = actionsOf(functionOfWorker(name, worker));
      expect(actions.includes('states:StartExecution')).toBe((worker.uses as readonly string[]).includes('redemption-workflow:start'));
      expect(actions.some((action) => action.startsWith('states:SendTask'))).toBe(false);
      if (actions.includes('states:StartExecution')) {
        expect(functions[functionOfWorker(name, worker) ?? '']?.Properties?.Environment?.Variables).toMatchObject({
          REDEMPTION_STATE_MACHINE_ARN: { Ref: stateMachineId },
        });
      }
    });
  });

  describe('database', () => {
    it('is Aurora Serverless v2 PostgreSQL 17 with the Data API on, encrypted and backed up', () => {
      stateful.hasResourceProperties('AWS::RDS::DBCluster', {
        Engine: 'aurora-postgresql',
        EngineVersion: Match.stringLikeRegexp('^17\\.'),
        EnableHttpEndpoint: true,
        StorageEncrypted: true,
        BackupRetentionPeriod: Match.anyValue(),
        MasterUserPassword: Match.anyValue(),
        ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: Match.anyValue(), SecondsUntilAutoPause: Match.anyValue() },
      });
      stateful.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.serverless' });
      stateful.resourceCountIs('AWS::SecretsManager::Secret', 1);
    });

    it('can be deleted with the stack outside production', () => {
      stateful.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Delete' });
      stateful.hasResourceProperties('AWS::RDS::DBCluster', { DeletionProtection: false });
    });
  });

  describe('migrations', () => {
    it('run as a custom resource that changes whenever migrations/ does', () => {
      stateless.hasResourceProperties('Custom::DatabaseMigrations', { MigrationsHash: migrationsHash() });
    });

    it('run before any function that serves the API or works a queue is updated', () => {
      const served = [
        ...routeEntries.map(([, route]) => functionOfRoute(route)),
        ...workerEntries.map(([name, worker]) => functionOfWorker(name, worker)),
      ];
      for (const functionId of served) {
        // A function of a nested stack waits through its stack's resource in the parent.
        const waiting = nestedStackOf(functionId ?? '') ?? functionId;
        expect(stateless.toJSON().Resources[waiting ?? '']?.DependsOn).toContain(migrationResourceId);
      }
    });
  });

  describe('permissions', () => {
    it('never allow a wildcard action', () => {
      const actions = [...iamStatements(stateful), ...iamStatements(stateless)].flatMap((statement) => [statement.Action].flat());

      expect(actions.length).toBeGreaterThan(0);
      expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    });

    it.each(routeEntries)('give %s the environment and access its `uses` declare, nothing more', (_name, route) => {
      const functionId = functionOfRoute(route);
      const variables = Object.keys(functions[functionId]?.Properties?.Environment?.Variables ?? {});
      const actions = actionsOf(functionId);

      const usesDatabase = route.uses.includes('database');
      const sendsAllocations = route.uses.includes('allocation-queue');
      expect(variables.includes('DB_CLUSTER_ARN')).toBe(usesDatabase);
      expect(actions.includes('rds-data:ExecuteStatement')).toBe(usesDatabase);
      expect(actions.includes('secretsmanager:GetSecretValue')).toBe(usesDatabase);
      expect(variables.includes('ALLOCATION_QUEUE_URL')).toBe(sendsAllocations);
      expect(actions.includes('sqs:SendMessage')).toBe(sendsAllocations || route.uses.includes('redemption-queue'));
      const decides = route.uses.includes('redemption-workflow:decide');
      expect(actions.filter((action) => action.startsWith('states:')).sort()).toEqual(
        decides ? ['states:SendTaskFailure', 'states:SendTaskSuccess'] : [],
      );
    });
  });
});
