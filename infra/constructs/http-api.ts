import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../../shared/http/route';
import type { LogSettings } from '../config';
import type { Identity } from './identity';

export interface HttpApiGatewayProps {
  apiName: string;
  identity: Identity;
  corsOrigins: string[];
  rateLimit: number;
  burstLimit: number;
  logs: LogSettings;
}

/** One JSON line per request in the access log. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
};

/**
 * The HTTP API: a JWT authorizer that accepts the user pool's ID tokens on every route that is
 * not public, CORS for the configured origins, throttling, and access logs.
 */
export class HttpApiGateway extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: HttpApiGatewayProps) {
    super(scope, id);
    // Issuer: the pool's URL; audience: the app client's id, which is the `aud` of its ID tokens.
    const authorizer = new HttpUserPoolAuthorizer('CognitoIdToken', props.identity.userPool, {
      userPoolClients: [props.identity.client],
    });
    this.api = new HttpApi(this, 'Api', {
      apiName: props.apiName,
      description: 'TokenStocks capital engine',
      defaultAuthorizer: authorizer,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        allowMethods: [CorsHttpMethod.ANY],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        exposeHeaders: ['location'],
        maxAge: Duration.hours(1),
      },
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', props.logs);
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
  }

  /**
   * The route of one route-table entry, served by `handler`; public entries skip the authorizer.
   * The route, its integration and the permission to invoke `handler` are created in `scope`,
   * which may be in a nested stack (infra/stacks/route-area-stack.ts): only the API, its stage
   * and its authorizer stay here.
   */
  addRoute(scope: Construct, name: string, route: RouteDefinition, handler: IFunction): void {
    const created = new HttpRoute(scope, `${name}Route`, {
      httpApi: this.api,
      routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
      integration: new HttpLambdaIntegration(`${name}Integration`, handler),
      ...(route.access === 'public' ? { authorizer: new HttpNoneAuthorizer() } : {}),
    });
    if (route.access === 'public') {
      Validations.of(created).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${route.method} ${route.path} is public in functions/routes/index.ts: ${route.summary}.`,
      });
    }
  }

  get url(): string {
    const url = this.stage.url;
    if (url === undefined) throw new Error('the $default stage has no URL');
    return url;
  }
}
