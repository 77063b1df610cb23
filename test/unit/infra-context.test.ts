import { App } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { readDeploymentSettings } from '../../infra/context.ts';

const settingsFor = (context: Record<string, unknown>) =>
  readDeploymentSettings(new App({ context }).node);

describe('deployment settings from CDK context', () => {
  it('default to a dev stage with modest throttling and a month of logs', () => {
    expect(settingsFor({})).toEqual({
      stage: 'dev',
      throttleRateLimit: 50,
      throttleBurstLimit: 100,
      logRetention: RetentionDays.ONE_MONTH,
      settingsSecretName: undefined,
      alarmEmail: undefined,
    });
  });

  it('accept the values `-c key=value` passes as strings', () => {
    expect(
      settingsFor({
        stage: 'prod',
        throttleRateLimit: '500',
        throttleBurstLimit: '1000',
        logRetentionDays: '365',
        settingsSecretName: 'acme/agent-platform',
        alarmEmail: 'ops@example.com',
      }),
    ).toEqual({
      stage: 'prod',
      throttleRateLimit: 500,
      throttleBurstLimit: 1000,
      logRetention: RetentionDays.ONE_YEAR,
      settingsSecretName: 'acme/agent-platform',
      alarmEmail: 'ops@example.com',
    });
  });

  it('treat an empty value as not set', () => {
    expect(settingsFor({ alarmEmail: '', settingsSecretName: '' })).toMatchObject({
      alarmEmail: undefined,
      settingsSecretName: undefined,
    });
  });

  it('name every bad key', () => {
    expect(() =>
      settingsFor({
        stage: 'Prod_1',
        throttleRateLimit: '-1',
        logRetentionDays: 45,
        alarmEmail: 'not-an-email',
      }),
    ).toThrow(/stage: .*throttleRateLimit: .*logRetentionDays: must be a retention.*alarmEmail: /);
  });
});
