import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface Manifest {
  oauth_config: { scopes: { bot: string[] } };
  features: { assistant_view?: unknown };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

function printManifest(apiUrl: string): { status: number; manifest?: Manifest; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, ['scripts/slack-manifest.ts', apiUrl], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: 0, manifest: JSON.parse(stdout) as Manifest, stderr: '' };
  } catch (error) {
    const failed = error as { status: number; stderr: string };
    return { status: failed.status, stderr: failed.stderr };
  }
}

describe('npm run slack:manifest', () => {
  it('points events and interactivity at the deployed API, with or without its trailing slash', () => {
    // Act
    const withSlash = printManifest('https://abc123.execute-api.eu-west-1.amazonaws.com/dev/');
    const without = printManifest('https://abc123.execute-api.eu-west-1.amazonaws.com/dev');

    // Assess
    for (const { manifest } of [withSlash, without]) {
      const url = 'https://abc123.execute-api.eu-west-1.amazonaws.com/dev/slack/events';
      expect(manifest?.settings.event_subscriptions.request_url).toBe(url);
      expect(manifest?.settings.interactivity).toEqual({ is_enabled: true, request_url: url });
    }
  });

  it('asks for what the app uses: its events, the scopes of its Web API calls, the assistant view', () => {
    // Act
    const { manifest } = printManifest('https://api.example.com/prod/');

    // Assess
    expect(manifest?.settings.event_subscriptions.bot_events.sort()).toEqual([
      'app_mention',
      'assistant_thread_started',
      'message.channels',
      'message.groups',
      'message.im',
      'message.mpim',
    ]);
    expect(manifest?.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        'app_mentions:read',
        'assistant:write',
        'chat:write',
        'reactions:write',
        'im:history',
        'channels:history',
      ]),
    );
    expect(manifest?.features.assistant_view).toBeDefined();
    expect(manifest?.settings.socket_mode_enabled).toBe(false);
  });

  it('refuses a URL that is not https', () => {
    // Act
    const result = printManifest('http://api.example.com/dev/');

    // Assess
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('https');
  });
});
