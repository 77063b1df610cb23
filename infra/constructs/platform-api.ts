import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  ResponseTransferMode,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RoutesTrigger } from '../../functions/function-definition.ts';
import { errorBodyTemplate, gatewayErrorResponses } from '../api/gateway-responses.ts';
import type { PlatformFunction } from './platform-function.ts';

/** Request content types API Gateway passes to functions base64-encoded, as bytes. */
export const binaryMediaTypes = [
  'application/octet-stream',
  'multipart/form-data',
  'application/pdf',
];

export interface PlatformApiProps {
  stage: string;
  throttleRateLimit: number;
  throttleBurstLimit: number;
  logRetention: RetentionDays;
}

/**
 * The REST API: one stage with throttling, JSON access logs, X-Ray tracing and JSON
 * error bodies for what API Gateway answers itself. Routes are added per function with
 * {@link PlatformApi.route}; authentication happens in the functions (API keys, Slack
 * signatures), so methods carry no authorizer.
 */
export class PlatformApi extends Construct {
  readonly restApi: RestApi;
  /** Every method added by {@link PlatformApi.route}, with its resource path. */
  readonly methods: { path: string; method: Method; preflight: boolean }[] = [];

  constructor(scope: Construct, id: string, props: PlatformApiProps) {
    super(scope, id);

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.restApi = new RestApi(this, 'Api', {
      restApiName: `agent-platform-${props.stage}`,
      description: `Agent platform API (${props.stage})`,
      // Regional: clients are servers and CLIs, not browsers spread over the world.
      endpointTypes: [EndpointType.REGIONAL],
      binaryMediaTypes,
      // API Gateway may only write logs with an account-level role; the stack sets it.
      cloudWatchRole: true,
      deploy: true,
      deployOptions: {
        stageName: props.stage,
        throttlingRateLimit: props.throttleRateLimit,
        throttlingBurstLimit: props.throttleBurstLimit,
        tracingEnabled: true,
        // Execution logs for errors only, and never request or response bodies: those
        // carry API keys and documents.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            extendedRequestId: AccessLogField.contextExtendedRequestId(),
            xrayTraceId: AccessLogField.contextXrayTraceId(),
            requestTime: AccessLogField.contextRequestTimeEpoch(),
            ip: AccessLogField.contextIdentitySourceIp(),
            userAgent: AccessLogField.contextIdentityUserAgent(),
            httpMethod: AccessLogField.contextHttpMethod(),
            resourcePath: AccessLogField.contextResourcePath(),
            path: AccessLogField.contextPath(),
            status: AccessLogField.contextStatus(),
            responseLength: AccessLogField.contextResponseLength(),
            responseLatency: AccessLogField.contextResponseLatency(),
            integrationLatency: AccessLogField.contextIntegrationLatency(),
            integrationStatus: AccessLogField.contextIntegrationStatus(),
            errorType: AccessLogField.contextErrorResponseType(),
            errorMessage: AccessLogField.contextErrorMessage(),
          }),
        ),
      },
    });

    // The stack outputs the URL once, as ApiUrl.
    this.restApi.node.tryRemoveChild('Endpoint');

    // API Gateway creates the execution log group on first use with no expiry; creating
    // it first, under the name it will use, gives it the stack's retention.
    const executionLogs = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${props.stage}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.restApi.deploymentStage.node.addDependency(executionLogs);

    for (const response of gatewayErrorResponses) {
      this.restApi.addGatewayResponse(response.id, {
        type: response.type,
        ...(response.statusCode ? { statusCode: response.statusCode } : {}),
        responseHeaders: {
          'Cache-Control': "'no-store'",
          // The same transport headers the functions' responses carry.
          'Strict-Transport-Security': "'max-age=15552000; includeSubDomains; preload'",
          'X-Content-Type-Options': "'nosniff'",
          ...response.headers,
        },
        templates: { 'application/json': errorBodyTemplate(response) },
      });
    }
  }

  /**
   * Wires every route of the function's trigger to it. Streamed routes use API Gateway's
   * STREAM transfer mode (Lambda response streaming) with the function's own timeout as
   * the integration timeout, which streaming allows past the buffered 29 s.
   */
  route(fn: PlatformFunction, trigger: RoutesTrigger): void {
    const streamed = trigger.delivery === 'streamed';
    // Each method may invoke the function only through this API's deployed stage; the
    // console's test-invoke permission is left out.
    const integration = new LambdaIntegration(fn, {
      allowTestInvoke: false,
      ...(streamed
        ? {
            responseTransferMode: ResponseTransferMode.STREAM,
            timeout: Duration.seconds(fn.definition.timeoutSeconds),
          }
        : {}),
    });
    for (const route of trigger.routes) {
      const resource = this.restApi.root.resourceForPath(route.path);
      const method = resource.addMethod(route.method, integration);
      this.methods.push({ path: route.path, method, preflight: false });
      // Every other method on the path, CORS preflight included, goes to the first function
      // serving it: its middleware answers the preflight with the origins allowed in the
      // settings (unknown at synth time), and anything else with 405 and `Allow`, where API
      // Gateway would answer 404 for a method it has no entry for.
      if (!resource.node.tryFindChild('ANY')) {
        const fallback = resource.addMethod('ANY', integration);
        this.methods.push({ path: route.path, method: fallback, preflight: true });
      }
    }
  }
}
