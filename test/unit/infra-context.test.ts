import { App } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { contextKeys, readDeploymentSettings } from '../../infra/context.ts';
import { readmeTableKeys } from '../support/readme-table.ts';

const settingsFor = (context: Record<string, unknown>) =>
  readDeploymentSettings(new App({ context }).node);

describe('deployment settings from CDK context', () => {
  it('default to a dev stage with modest throttling and a month of logs', () => {
    expect(settingsFor({})).toEqual({
      stage: 'dev',
      throttleRateLimit: 50,
      throttleBurstLimit: 100,
      logRetention: RetentionDays.ONE_MONTH,
      wafRateLimit: 2000,
      reservedConcurrencyScale: 1,
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
        wafRateLimit: '500',
        reservedConcurrency: '0.5',
        alarmEmail: 'ops@example.com',
      }),
    ).toEqual({
      stage: 'prod',
      throttleRateLimit: 500,
      throttleBurstLimit: 1000,
      logRetention: RetentionDays.ONE_YEAR,
      wafRateLimit: 500,
      reservedConcurrencyScale: 0.5,
      alarmEmail: 'ops@example.com',
    });
  });

  it('treat an empty value as not set', () => {
    expect(settingsFor({ alarmEmail: '' })).toMatchObject({ alarmEmail: undefined });
  });

  it('turn WAF and reserved concurrency off with `false`, as a string or a boolean', () => {
    for (const off of ['false', false]) {
      expect(settingsFor({ waf: off, reservedConcurrency: off })).toMatchObject({
        wafRateLimit: undefined,
        reservedConcurrencyScale: undefined,
      });
    }
    expect(settingsFor({ waf: 'true', reservedConcurrency: 'true' })).toMatchObject({
      wafRateLimit: 2000,
      reservedConcurrencyScale: 1,
    });
  });

  it('name every bad key', () => {
    expect(() =>
      settingsFor({
        stage: 'Prod_1',
        throttleRateLimit: '-1',
        logRetentionDays: 45,
        waf: 'no',
        wafRateLimit: '5',
        reservedConcurrency: '-1',
        alarmEmail: 'not-an-email',
      }),
    ).toThrow(
      /stage: .*throttleRateLimit: .*logRetentionDays: must be a retention.*waf: .*wafRateLimit: .*reservedConcurrency: .*alarmEmail: /,
    );
  });

  it("are each documented in the README's context table, and no other key is", () => {
    const documented = readmeTableKeys('context key');
    expect(documented.sort()).toEqual([...contextKeys].sort());
  });
});
