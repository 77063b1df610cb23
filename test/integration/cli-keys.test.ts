import { statSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKeySettings } from '../support/admin-key.ts';
import { callApi, issueKey } from '../support/api-client.ts';
import { useBuiltCli } from '../support/cli.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-cli-key-tests';
const PER_MINUTE = 40;
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
  LOG_LEVEL: 'SILENT',
}));
const cli = useBuiltCli();
const withKey = (key: string, url = api.url) => ({
  env: { AGENT_API_URL: url, AGENT_API_KEY: key },
});

describe('agent keys', () => {
  it('creates a key, uses it, and revokes it', async () => {
    const created = await cli.run(
      [
        '--json',
        'keys',
        'create',
        '--name',
        'reader',
        '--scope',
        'documents:read',
        '--expires',
        '30d',
      ],
      withKey(ADMIN_KEY),
    );
    const key = JSON.parse(created.stdout) as { id: string; key: string; expiresAt: string };

    const listed = await cli.run(['keys', 'ls'], withKey(ADMIN_KEY));
    const used = await cli.run(['docs', 'ls'], withKey(key.key));
    const revoked = await cli.run(['keys', 'revoke', key.id], withKey(ADMIN_KEY));
    const refused = await cli.run(['docs', 'ls'], withKey(key.key));

    expect(created.code).toBe(0);
    expect(key.key).toMatch(/^apk\.default\./);
    expect(Date.parse(key.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(listed.stdout).toMatch(new RegExp(`${key.id}\\s+reader\\s+documents:read`));
    expect(used).toMatchObject({ code: 0, stdout: 'No documents.\n' });
    expect(revoked).toMatchObject({ code: 0, stdout: `Revoked key ${key.id}.\n` });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'error: The API key from AGENT_API_KEY was refused (unauthorized); set a valid key in AGENT_API_KEY, or run agent login.\n',
    );
  });

  it('names the scope a key lacks (403) and exits 1', async () => {
    const reader = await issueKey(api, ADMIN_KEY, 'default', ['documents:read']);

    const run = await cli.run(['keys', 'ls'], withKey(reader));
    const json = await cli.run(['--json', 'keys', 'ls'], withKey(reader));

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('This API key lacks the "admin" scope this command needs');
    expect(run.stderr).toContain('agent keys create --scope admin');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'forbidden', status: 403 } });
  });

  it('refuses a bad command line with exit code 2', async () => {
    const unknownScope = await cli.run(
      ['keys', 'create', '--name', 'x', '--scope', 'root'],
      withKey(ADMIN_KEY),
    );
    const noName = await cli.run(['keys', 'create', '--scope', 'chat'], withKey(ADMIN_KEY));
    const badK = await cli.run(['search', 'x', '--k', '500'], withKey(ADMIN_KEY));
    const badWeight = await cli.run(['search', 'x', '--vector-weight', '2'], withKey(ADMIN_KEY));
    const noCommand = await cli.run(['docs'], withKey(ADMIN_KEY));
    const help = await cli.run(['docs', '--help'], withKey(ADMIN_KEY));

    expect(unknownScope).toMatchObject({ code: 2 });
    expect(unknownScope.stderr).toContain('Unknown scope root');
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain("required option '--name <name>' not specified");
    expect(badK.code).toBe(2);
    expect(badK.stderr).toContain('must be a whole number from 1 to 50');
    expect(badWeight.code).toBe(2);
    expect(badWeight.stderr).toContain('must be a number from 0 to 1');
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toContain('Usage: agent docs');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: agent docs');
    // With --json, a usage error is JSON like every other error.
    const jsonUsage = await cli.run(['--json', 'docs', 'ls', '--bogus'], withKey(ADMIN_KEY));
    expect(jsonUsage.code).toBe(2);
    expect(JSON.parse(jsonUsage.stderr)).toEqual({
      error: { code: 'usage', message: "unknown option '--bogus'", status: null },
    });
  });
});

describe('agent login and profiles', () => {
  it('saves named profiles readable by their owner only and uses them by name', async () => {
    const reader = await issueKey(api, ADMIN_KEY, 'default', ['documents:read']);

    const login = await cli.run(
      ['login', '--url', `${api.url}/`, '--profile', 'work', '--user', 'alice'],
      {
        input: `${reader}\n`,
      },
    );
    const second = await cli.run(['login', '--url', api.url, '--profile', 'admin'], {
      input: ADMIN_KEY,
    });
    const byName = await cli.run(['--profile', 'work', 'docs', 'ls']);
    const byDefault = await cli.run(['keys', 'ls']);
    const profiles = JSON.parse((await cli.run(['--json', 'profiles'])).stdout);
    const missing = await cli.run(['--profile', 'nope', 'docs', 'ls']);

    expect(login.code).toBe(0);
    expect(login.stdout).toContain('as profile "work" (default)');
    expect(second.code).toBe(0);
    expect(statSync(join(cli.home, 'config', 'profiles.json')).mode & 0o777).toBe(0o600);
    expect(byName).toMatchObject({ code: 0, stdout: 'No documents.\n' });
    // The default is the first profile saved, whose key is no admin.
    expect(byDefault.code).toBe(1);
    expect(byDefault.stderr).toContain('lacks the "admin" scope');
    expect(profiles.profiles).toEqual([
      expect.objectContaining({ name: 'work', url: api.url, userId: 'alice', default: true }),
      expect.objectContaining({ name: 'admin', default: false }),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No profile "nope"');
  });

  it("sends a saved profile's key only to that profile's URL", async () => {
    const seen: (string | undefined)[] = [];
    const stranger = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'unauthorized', message: 'no', requestId: 'x' } }));
    });
    await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.1', resolve));
    const strangerUrl = `http://127.0.0.1:${(stranger.address() as AddressInfo).port}`;
    try {
      await cli.run(['login', '--url', api.url, '--profile', 'saved'], { input: ADMIN_KEY });

      const elsewhere = await cli.run([
        '--profile',
        'saved',
        '--api-url',
        strangerUrl,
        'docs',
        'ls',
      ]);

      expect(seen).toEqual([undefined]);
      expect(elsewhere.code).toBe(1);
      expect(elsewhere.stderr).toContain(`No API key for ${strangerUrl}`);
    } finally {
      stranger.close();
    }
  });

  it('does not save a key the API refuses, and says which setting to fix when a saved one is refused', async () => {
    // Prepare: a configuration folder of this test's own.
    const configDir = join(cli.home, 'refusals');
    const env = { AGENT_CONFIG_DIR: configDir };
    const refused = await cli.run(['login', '--url', api.url, '--profile', 'typo'], {
      input: 'apk.default.0123456789abcdef.wrong',
      env,
    });
    const key = await issueKey(api, ADMIN_KEY, 'default', ['documents:read']);
    await cli.run(['login', '--url', api.url, '--profile', 'soon-revoked'], { input: key, env });
    await callApi(api, 'DELETE', `/v1/keys/${key.split('.')[2]}`, ADMIN_KEY);

    const later = await cli.run(['--profile', 'soon-revoked', 'docs', 'ls'], { env });

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('was refused (unauthorized)');
    const profiles = JSON.parse((await cli.run(['--json', 'profiles'], { env })).stdout);
    expect(profiles.profiles.map((profile: { name: string }) => profile.name)).not.toContain(
      'typo',
    );
    expect(later.code).toBe(1);
    expect(later.stderr).toContain(
      `The API key from profile "soon-revoked" (${join(configDir, 'profiles.json')}) was refused`,
    );
  });
});

describe('errors a person can act on', () => {
  it('gives up on an API that does not answer, after --timeout', async () => {
    const silent = createServer(() => {
      // Accepts the request and never answers.
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const started = Date.now();

      const run = await cli.run(['--timeout', '1', 'docs', 'ls'], withKey(ADMIN_KEY, silentUrl));

      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`The API at ${silentUrl} did not answer within 1 s`);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('names the URL it cannot reach and where the URL came from', async () => {
    const closed = await closedPort();

    const run = await cli.run(['docs', 'ls'], withKey(ADMIN_KEY, `http://127.0.0.1:${closed}`));

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `error: Cannot reach the API at http://127.0.0.1:${closed} (ECONNREFUSED). Check that it is running and that AGENT_API_URL is right.\n`,
    );
  });

  it('waits out a 429 for its Retry-After and retries', async () => {
    const run = await cli.run(['docs', 'ls'], withKey(ADMIN_KEY, limiter.url));

    expect(run).toMatchObject({ code: 0, stdout: 'No documents.\n' });
    expect(run.stderr).toContain('Rate limited: waiting 1 s, then retrying.');
    expect(limiter.refused).toBe(1);
  });

  it('says when to retry a 429 it will not wait for', async () => {
    const key = await issueKey(api, ADMIN_KEY, 'default', ['documents:read']);
    // Until the API itself refuses: the limit's window slides, so a fixed number of calls
    // that straddles its boundary can leave room for one more.
    let status = 200;
    for (let used = 0; status !== 429 && used < 3 * PER_MINUTE; used += 1) {
      status = (await callApi(api, 'GET', '/v1/documents', key)).status;
    }
    expect(status).toBe(429);

    const run = await cli.run(['--max-wait', '0', 'docs', 'ls'], withKey(key));

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error: Rate limited \(rate_limited\): retry after \d+ s \(at .+\)\.\n$/,
    );
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A gateway in front of the API that throttles the first request as API Gateway does
 * (429 with `Retry-After`), then passes everything through.
 */
const limiter = { url: '', refused: 0 };
let gateway: Server | undefined;
beforeAll(async () => {
  gateway = createServer((req, res) => {
    if (limiter.refused === 0) {
      limiter.refused += 1;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests.' } }));
      return;
    }
    const upstream = new URL(api.url);
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => gateway?.listen(0, '127.0.0.1', resolve));
  limiter.url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => gateway?.close(resolve));
});
