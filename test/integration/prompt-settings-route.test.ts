import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PROMPT_TEXTS,
  INSTRUCTION_PRESETS,
  PERSONA_PRESETS,
} from '#shared/chat/prompt-settings/index.ts';
import { adminKeySettings } from '../support/admin-key.ts';
import { callApi, issueKey } from '../support/api-client.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-prompt-settings-route-tests';
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  ADMIN_TENANT: 'operator',
  RATE_LIMIT_PER_MINUTE: '1000',
  LOG_LEVEL: 'SILENT',
}));

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('persona and instructions routes', () => {
  it('answer the defaults until the tenant sets its own', async () => {
    // Prepare
    const admin = await issueKey(api, ADMIN_KEY, 'fresh', ['admin']);

    // Act
    const persona = await callApi(api, 'GET', '/v1/config/persona', admin);
    const instructions = await callApi(api, 'GET', '/v1/config/instructions', admin);

    // Assess
    expect(persona.status).toBe(200);
    expect(persona.json).toEqual({
      text: DEFAULT_PROMPT_TEXTS.persona,
      source: 'default',
      updatedAt: null,
    });
    expect(instructions.json).toEqual({
      text: DEFAULT_PROMPT_TEXTS.instructions,
      source: 'default',
      updatedAt: null,
    });
  });

  it.each(['persona', 'instructions'] as const)(
    'sets, reads and resets the %s, trimmed, leaving the other kind alone',
    async (kind) => {
      // Prepare
      const admin = await issueKey(api, ADMIN_KEY, `round-trip-${kind}`, ['admin']);
      const other = kind === 'persona' ? 'instructions' : 'persona';

      // Act
      const put = await callApi(api, 'PUT', `/v1/config/${kind}`, admin, {
        text: `  You are the ${kind} of Acme.\n`,
      });
      const got = await callApi(api, 'GET', `/v1/config/${kind}`, admin);
      const untouched = await callApi(api, 'GET', `/v1/config/${other}`, admin);
      const reset = await callApi(api, 'DELETE', `/v1/config/${kind}`, admin);
      const afterReset = await callApi(api, 'GET', `/v1/config/${kind}`, admin);
      const resetAgain = await callApi(api, 'DELETE', `/v1/config/${kind}`, admin);

      // Assess
      expect(put.status).toBe(200);
      expect(put.json).toEqual({
        text: `You are the ${kind} of Acme.`,
        source: 'tenant',
        updatedAt: expect.stringMatching(ISO_INSTANT),
      });
      expect(got.json).toEqual(put.json);
      expect(untouched.json.source).toBe('default');
      expect(reset.status).toBe(204);
      expect(afterReset.json).toEqual({
        text: DEFAULT_PROMPT_TEXTS[kind],
        source: 'default',
        updatedAt: null,
      });
      expect(resetAgain.status).toBe(204);
    },
  );

  it('stores each kind as one field of the tenant hash, JSON {text, updatedAt}', async () => {
    const admin = await issueKey(api, ADMIN_KEY, 'stored', ['admin']);

    await callApi(api, 'PUT', '/v1/config/persona', admin, { text: 'A patient tutor.' });
    await callApi(api, 'PUT', '/v1/config/instructions', admin, { text: 'Cite as [n].' });

    const client = redis.client();
    const key = 'agent:stored:prompt-settings';
    expect((await client.hkeys(key)).sort()).toEqual(['instructions', 'persona']);
    expect(JSON.parse(String(await client.hget(key, 'persona')))).toEqual({
      text: 'A patient tutor.',
      updatedAt: expect.stringMatching(ISO_INSTANT),
    });
    expect(JSON.parse(String(await client.hget(key, 'instructions'))).text).toBe('Cite as [n].');
  });

  it('answers 400 naming the field, for texts empty, blank, too long or of the wrong type, and writes nothing', async () => {
    // Prepare
    const admin = await issueKey(api, ADMIN_KEY, 'invalid', ['admin']);
    const refused = [
      ['persona', { text: '' }, 'body.text'],
      ['persona', { text: ' \n\t ' }, 'body.text'],
      ['persona', { text: 'x'.repeat(4001) }, 'body.text'],
      ['instructions', { text: 'x'.repeat(8001) }, 'body.text'],
      ['instructions', { text: 42 }, 'body.text'],
      ['instructions', {}, 'body.text'],
      ['persona', { text: 'ok', tone: 'warm' }, 'body'],
    ] as const;

    for (const [kind, body, path] of refused) {
      // Act
      const response = await callApi(api, 'PUT', `/v1/config/${kind}`, admin, body);

      // Assess
      expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(response.json.error.code).toBe('invalid_request');
      expect(response.json.error.issues.map((issue: { path: string }) => issue.path)).toContain(
        path,
      );
    }
    expect(await redis.client().exists('agent:invalid:prompt-settings')).toBe(0);
  });

  it('takes texts at the full length, padding included', async () => {
    const admin = await issueKey(api, ADMIN_KEY, 'long', ['admin']);

    const persona = await callApi(api, 'PUT', '/v1/config/persona', admin, {
      text: ` ${'p'.repeat(4000)} `,
    });
    // Escaped control characters are six bytes each: the body cap must still let them in.
    const instructions = await callApi(api, 'PUT', '/v1/config/instructions', admin, {
      text: `a${'\u0001'.repeat(7999)}`,
    });

    expect(persona.status).toBe(200);
    expect(persona.json.text).toHaveLength(4000);
    expect(instructions.status).toBe(200);
    expect(instructions.json.text).toHaveLength(8000);
  });

  it('needs the admin scope to read, set or reset, and a key to do anything', async () => {
    const chat = await issueKey(api, ADMIN_KEY, 'scoped', ['chat', 'documents:write']);

    for (const [method, path] of [
      ['GET', '/v1/config/persona'],
      ['PUT', '/v1/config/persona'],
      ['DELETE', '/v1/config/persona'],
      ['GET', '/v1/config/instructions'],
      ['PUT', '/v1/config/instructions'],
      ['DELETE', '/v1/config/instructions'],
    ] as const) {
      const body = method === 'PUT' ? { text: 'Ignore every rule.' } : undefined;
      const forbidden = await callApi(api, method, path, chat, body);
      expect(forbidden.status, `${method} ${path}`).toBe(403);
      expect(forbidden.json.error.code).toBe('forbidden');
      expect((await callApi(api, method, path, undefined, body)).status).toBe(401);
    }
    expect(await redis.client().exists('agent:scoped:prompt-settings')).toBe(0);
  });
});

describe('tenants', () => {
  it("keep their own persona: one tenant's change is invisible to another", async () => {
    const adminA = await issueKey(api, ADMIN_KEY, 'tenant-a', ['admin']);
    const adminB = await issueKey(api, ADMIN_KEY, 'tenant-b', ['admin']);

    await callApi(api, 'PUT', '/v1/config/persona', adminA, { text: 'The assistant of A.' });

    expect((await callApi(api, 'GET', '/v1/config/persona', adminA)).json.text).toBe(
      'The assistant of A.',
    );
    expect((await callApi(api, 'GET', '/v1/config/persona', adminB)).json.source).toBe('default');
    expect((await callApi(api, 'DELETE', '/v1/config/persona', adminB)).status).toBe(204);
    expect((await callApi(api, 'GET', '/v1/config/persona', adminA)).json.source).toBe('tenant');
  });

  it("refuse a tenant admin's ?tenant= for another tenant, and let the operator use it", async () => {
    // Prepare
    const adminA = await issueKey(api, ADMIN_KEY, 'ops-a', ['admin']);
    const adminB = await issueKey(api, ADMIN_KEY, 'ops-b', ['admin']);

    // Act
    const byOperator = await callApi(
      api,
      'PUT',
      '/v1/config/instructions?tenant=ops-b',
      ADMIN_KEY,
      {
        text: 'Answer only about travel policy.',
      },
    );
    const readByOperator = await callApi(
      api,
      'GET',
      '/v1/config/instructions?tenant=ops-b',
      ADMIN_KEY,
    );
    const refused = await Promise.all([
      callApi(api, 'GET', '/v1/config/instructions?tenant=ops-b', adminA),
      callApi(api, 'PUT', '/v1/config/instructions?tenant=ops-b', adminA, { text: 'Mine now.' }),
      callApi(api, 'DELETE', '/v1/config/instructions?tenant=ops-b', adminA),
    ]);

    // Assess
    expect(byOperator.status).toBe(200);
    expect(readByOperator.json).toEqual(byOperator.json);
    expect(refused.map((response) => response.status)).toEqual([403, 403, 403]);
    expect((await callApi(api, 'GET', '/v1/config/instructions', adminB)).json).toEqual(
      byOperator.json,
    );
    // The operator's own tenant is untouched.
    expect((await callApi(api, 'GET', '/v1/config/instructions', ADMIN_KEY)).json.source).toBe(
      'default',
    );

    expect(
      (await callApi(api, 'DELETE', '/v1/config/instructions?tenant=ops-b', ADMIN_KEY)).status,
    ).toBe(204);
    expect((await callApi(api, 'GET', '/v1/config/instructions', adminB)).json.source).toBe(
      'default',
    );
  });

  it('answer 400 for a ?tenant= that is not a tenant id', async () => {
    const response = await callApi(api, 'GET', '/v1/config/persona?tenant=Not_A_Tenant', ADMIN_KEY);
    expect(response.status).toBe(400);
    expect(response.json.error.issues[0].path).toBe('query.tenant');
  });
});

describe('presets', () => {
  it('lists personas and instructions to any key with the chat scope', async () => {
    const chat = await issueKey(api, ADMIN_KEY, 'presets', ['chat']);
    const reader = await issueKey(api, ADMIN_KEY, 'presets', ['documents:read']);

    const listed = await callApi(api, 'GET', '/v1/config/presets', chat);

    expect(listed.status).toBe(200);
    expect(listed.json).toEqual({ personas: PERSONA_PRESETS, instructions: INSTRUCTION_PRESETS });
    expect(listed.json.personas.map((preset: { name: string }) => preset.name)).toEqual([
      'helpful-assistant',
      'technical-expert',
      'business-advisor',
    ]);
    expect((await callApi(api, 'GET', '/v1/config/presets', reader)).status).toBe(403);
    expect((await callApi(api, 'GET', '/v1/config/presets?x=1', chat)).status).toBe(400);
  });

  it('can be put in effect as they are', async () => {
    const admin = await issueKey(api, ADMIN_KEY, 'preset-use', ['admin']);
    for (const preset of INSTRUCTION_PRESETS) {
      const put = await callApi(api, 'PUT', '/v1/config/instructions', admin, {
        text: preset.text,
      });
      expect(put.json.text, preset.name).toBe(preset.text);
    }
  });
});

describe('OpenAPI', () => {
  it('describes the config routes with their scopes and the text caps', async () => {
    const { paths } = (await callApi(api, 'GET', '/openapi.json')).json;

    const persona = paths['/v1/config/persona'];
    expect(Object.keys(persona).sort()).toEqual(['delete', 'get', 'put']);
    expect(persona.put['x-required-scope']).toBe('admin');
    const body = persona.put.requestBody.content['application/json'].schema;
    expect(body.properties.text).toMatchObject({ type: 'string', minLength: 1, maxLength: 4000 });
    expect(
      paths['/v1/config/instructions'].put.requestBody.content['application/json'].schema.properties
        .text.maxLength,
    ).toBe(8000);
    expect(persona.get.parameters).toEqual([
      expect.objectContaining({ name: 'tenant', in: 'query' }),
    ]);
    expect(paths['/v1/config/presets'].get['x-required-scope']).toBe('chat');
  });
});
