import { beforeAll, describe, expect, it } from 'vitest';
import { adminKeySettings } from '../support/admin-key.ts';
import { callApi, issueKey } from '../support/api-client.ts';
import { useLocalApi } from '../support/local-api.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { streamChat } from '../support/server-sent-events.ts';

// Offline mode (no model key): the extractive answerer, as on a fresh clone.
const ADMIN_KEY = 'bootstrap-admin-key-for-conversation-tests-001';
const redis = useLocalRedis();
const api = useLocalApi(() => ({
  ...redis.settings(),
  ...adminKeySettings(ADMIN_KEY),
  CHAT_MAX_STORED_TURNS: '3',
  CHAT_RETENTION_DAYS: '30',
  LOG_LEVEL: 'SILENT',
}));

let key: string;
let otherTenantKey: string;
beforeAll(async () => {
  key = await issueKey(api, ADMIN_KEY, 'acme', ['chat', 'documents:write']);
  otherTenantKey = await issueKey(api, ADMIN_KEY, 'globex', ['chat']);
  const added = await callApi(api, 'POST', '/v1/documents', key, {
    text: '# Expenses\n\nMeals are reimbursed up to 40 euros a day with a receipt.\n\n# Travel\n\nTrains are preferred for trips under four hours.\n',
    contentType: 'text/markdown',
    title: 'Expense policy',
    source: 'policies/expenses.md',
  });
  expect(added.status).toBe(201);
});

const chat = (body: Record<string, unknown>, apiKey = key) =>
  callApi(api, 'POST', '/v1/chat', apiKey, body);

describe('offline mode', () => {
  it('answers extractively from the best passage, with citations, labelled offline', async () => {
    const { status, json } = await chat({
      userId: 'off',
      message: 'How much are meals reimbursed?',
    });

    expect(status).toBe(200);
    expect(json.mode).toBe('offline');
    expect(json.model).toBe('offline-extractive');
    expect(json.answer).toContain('Meals are reimbursed up to 40 euros a day with a receipt. [1]');
    expect(json.citations[0]).toMatchObject({
      n: 1,
      title: 'Expense policy',
      source: 'policies/expenses.md',
      headingPath: ['Expenses'],
    });
  });

  it('streams the same way', async () => {
    const { events } = await streamChat(api, key, {
      userId: 'off',
      message: 'Are trains preferred?',
    });

    expect(events[0]).toMatchObject({ event: 'meta', data: { mode: 'offline' } });
    expect(events.at(-1)?.event).toBe('done');
    const answer = events
      .filter((event) => event.event === 'delta')
      .map((event) => event.data.text)
      .join('');
    expect(answer).toContain('Trains are preferred for trips under four hours. [1]');
    expect(events.at(-1)?.data.citations[0].headingPath).toEqual(['Travel']);
  });
});

describe('conversation routes', () => {
  it("lists a user's conversations newest first, a page at a time, titled by their first message", async () => {
    const ids: string[] = [];
    for (const message of ['Alpha question about meals', 'Beta question', 'Gamma question']) {
      ids.push((await chat({ userId: 'lia', message })).json.conversationId);
    }
    await chat({ userId: 'lia', message: 'Alpha follow-up', conversationId: ids[0] });

    const first = await callApi(api, 'GET', '/v1/conversations?userId=lia&limit=2', key);
    const second = await callApi(
      api,
      'GET',
      `/v1/conversations?userId=lia&limit=2&cursor=${first.json.nextCursor}`,
      key,
    );

    expect(first.status).toBe(200);
    expect(first.json.conversations.map((c: { id: string }) => c.id)).toEqual([ids[0], ids[2]]);
    expect(first.json.conversations[0]).toMatchObject({
      userId: 'lia',
      title: 'Alpha question about meals',
      turnCount: 2,
    });
    expect(first.json.conversations[0].updatedAt > first.json.conversations[0].createdAt).toBe(
      true,
    );
    expect(second.json.conversations.map((c: { id: string }) => c.id)).toEqual([ids[1]]);
    expect(second.json.nextCursor).toBeNull();
  });

  it('returns a conversation with its turns and citations, to its user only', async () => {
    const turn = await chat({ userId: 'max', message: 'What is the meal allowance?' });
    const id = turn.json.conversationId;

    const mine = await callApi(api, 'GET', `/v1/conversations/${id}?userId=max`, key);
    const someoneElse = await callApi(api, 'GET', `/v1/conversations/${id}?userId=nia`, key);
    const otherTenant = await callApi(
      api,
      'GET',
      `/v1/conversations/${id}?userId=max`,
      otherTenantKey,
    );

    expect(mine.status).toBe(200);
    expect(mine.json.turnsOmitted).toBe(0);
    expect(mine.json.turns).toEqual([
      {
        messageId: turn.json.messageId,
        user: { text: 'What is the meal allowance?', at: expect.any(String) },
        assistant: expect.objectContaining({
          text: turn.json.answer,
          citations: turn.json.citations,
          mode: 'offline',
        }),
      },
    ]);
    expect(someoneElse.status).toBe(404);
    expect(otherTenant.status).toBe(404);
    expect(someoneElse.json.error.code).toBe('conversation_not_found');
  });

  it('keeps CHAT_MAX_STORED_TURNS turns and expires after CHAT_RETENTION_DAYS of quiet', async () => {
    const first = await chat({ userId: 'ola', message: 'turn 1' });
    const id = first.json.conversationId;
    for (const n of [2, 3, 4, 5])
      await chat({ userId: 'ola', message: `turn ${n}`, conversationId: id });

    const stored = await callApi(api, 'GET', `/v1/conversations/${id}?userId=ola`, key);

    expect(stored.json.turnCount).toBe(5);
    expect(stored.json.turns.map((turn: { user: { text: string } }) => turn.user.text)).toEqual([
      'turn 3',
      'turn 4',
      'turn 5',
    ]);
    const client = redis.client();
    for (const redisKey of [`agent:acme:conv:${id}`, `agent:acme:conv:${id}:turns`]) {
      const ttl = await client.ttl(redisKey);
      expect(ttl).toBeGreaterThan(30 * 86_400 - 60);
      expect(ttl).toBeLessThanOrEqual(30 * 86_400);
    }
  });

  it('deletes a conversation and what memory kept of it', async () => {
    const kept = await chat({ userId: 'pam', message: 'Keep this: my badge is B-55' });
    const dropped = await chat({ userId: 'pam', message: 'Forget this: my locker is L-99' });

    const deleted = await callApi(
      api,
      'DELETE',
      `/v1/conversations/${dropped.json.conversationId}?userId=pam`,
      key,
    );
    const again = await callApi(
      api,
      'DELETE',
      `/v1/conversations/${dropped.json.conversationId}?userId=pam`,
      key,
    );
    const memory = await callApi(api, 'GET', '/v1/users/pam/memory', key);

    expect(deleted.status).toBe(204);
    expect(again.status).toBe(404);
    expect(memory.json.memories.map((m: { text: string }) => m.text)).toEqual([
      'Keep this: my badge is B-55',
    ]);
    expect(memory.json.memories[0].conversationId).toBe(kept.json.conversationId);
    const recalled = await chat({ userId: 'pam', message: 'What is my locker number L-99?' });
    expect(recalled.json.memories.map((m: { text: string }) => m.text)).not.toContain(
      'Forget this: my locker is L-99',
    );
  });

  it('stops replaying the answers of a deleted conversation', async () => {
    const headers = { 'idempotency-key': 'delete-me-1' };
    const body = { userId: 'ray', message: 'My locker code is 4411' };
    const first = await callApi(api, 'POST', '/v1/chat', key, body, headers);

    await callApi(api, 'DELETE', `/v1/conversations/${first.json.conversationId}?userId=ray`, key);
    const again = await callApi(api, 'POST', '/v1/chat', key, body, headers);

    expect(again.status).toBe(200);
    expect(again.json.conversationId).not.toBe(first.json.conversationId);
  });

  it('forgets a user entirely: conversations, memory and replayable answers', async () => {
    const headers = { 'idempotency-key': 'forget-me-1' };
    const turn = await callApi(
      api,
      'POST',
      '/v1/chat',
      key,
      { userId: 'quinn', message: 'My passport number is P1234567' },
      headers,
    );
    await chat({ userId: 'quinn', message: 'Another private detail' });
    await chat({ userId: 'rae', message: 'Rae stays' });

    const forgotten = await callApi(api, 'DELETE', '/v1/users/quinn', key);

    expect(forgotten.json).toEqual({ userId: 'quinn', conversations: 2, memories: 2 });
    const list = await callApi(api, 'GET', '/v1/conversations?userId=quinn', key);
    const conversation = await callApi(
      api,
      'GET',
      `/v1/conversations/${turn.json.conversationId}?userId=quinn`,
      key,
    );
    const memory = await callApi(api, 'GET', '/v1/users/quinn/memory', key);
    expect(list.json.conversations).toEqual([]);
    expect(conversation.status).toBe(404);
    expect(memory.json).toEqual({ userId: 'quinn', total: 0, memories: [] });
    // Nothing of theirs is left: no conversation, memory entry or idempotency record. The
    // memory namespace keeps its version counter and change log (ids only, no text), so
    // a container holding it in memory sees that it was cleared.
    const left = (await redis.allKeys()).filter((name) => /quinn|forget-me/.test(name));
    expect(left).toEqual([
      'agent:acme:index:memory.quinn:log',
      'agent:acme:index:memory.quinn:version',
    ]);
    const log = await redis.client().zrange('agent:acme:index:memory.quinn:log', 0, -1);
    expect(JSON.stringify(log)).not.toMatch(/passport|P1234567|private/i);
    // The idempotent retry no longer replays the forgotten answer: it is a new turn.
    const retried = await callApi(
      api,
      'POST',
      '/v1/chat',
      key,
      { userId: 'quinn', message: 'My passport number is P1234567' },
      headers,
    );
    expect(retried.json.messageId).not.toBe(turn.json.messageId);
    const rae = await callApi(api, 'GET', '/v1/conversations?userId=rae', key);
    expect(rae.json.conversations).toHaveLength(1);
  });

  it("never recalls another tenant's memory for the same user id", async () => {
    await chat({ userId: 'sam', message: 'Globex secret project is Hydra' }, otherTenantKey);

    const turn = await chat({ userId: 'sam', message: 'What is the secret project Hydra?' });

    expect(turn.json.memories).toEqual([]);
  });
});
