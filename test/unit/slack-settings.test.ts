import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '#shared/platform/config/index.ts';
import { secretOf } from '#shared/platform/config/secret-groups.ts';

describe('Slack settings', () => {
  it('default to Slack’s own Web API and no default tenant', () => {
    // Act
    const config = parseConfig({});

    // Assess
    expect(config.slack).toBeUndefined();
    expect(config.slackApp).toEqual({ apiUrl: undefined, defaultTenant: undefined });
  });

  it('take a local Web API over plain http, ending its URL in a slash', () => {
    // Act
    const config = parseConfig({
      SLACK_BOT_TOKEN: 'fake-slack-bot-token-for-unit-tests',
      SLACK_SIGNING_SECRET: 'unit-test-signing-secret',
      SLACK_API_URL: 'http://127.0.0.1:4000/api',
      SLACK_DEFAULT_TENANT: 'acme',
    });

    // Assess
    expect(config.slack).toEqual({
      botToken: 'fake-slack-bot-token-for-unit-tests',
      signingSecret: 'unit-test-signing-secret',
    });
    expect(config.slackApp).toEqual({
      apiUrl: 'http://127.0.0.1:4000/api/',
      defaultTenant: 'acme',
    });
  });

  it('refuse plain http to another host and a default tenant that is not a tenant id', () => {
    // Act
    const error = (() => {
      try {
        parseConfig({
          SLACK_API_URL: 'http://slack.example/api/',
          SLACK_DEFAULT_TENANT: 'Not A Tenant',
        });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('SLACK_API_URL');
    expect((error as ConfigError).message).toContain('SLACK_DEFAULT_TENANT');
  });

  it('belong to the slack secret group, so only the Slack functions read them', () => {
    for (const name of [
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_API_URL',
      'SLACK_DEFAULT_TENANT',
    ] as const) {
      expect(secretOf(name)).toBe('slack');
    }
  });
});
