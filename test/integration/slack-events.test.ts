import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  envelope,
  eventRequest,
  feedbackPress,
  interactionRequest,
  nextTs,
  SAMPLE_WORKSPACE,
  sampleEvents,
  signSlackBody,
  urlVerification,
} from '#local/slack-requests.ts';
import { resetConfigCache } from '#shared/platform/config/index.ts';
import { tenantKeys } from '#shared/platform/tenancy/index.ts';
import {
  putChannelSettings,
  putTenantSlackSettings,
} from '#shared/slack/settings/channel-settings.ts';
import { putWorkspaceMapping } from '#shared/slack/settings/workspace-tenants.ts';
import { answeredThreads } from '#shared/slack/threads.ts';
import { useLocalRedis } from '#test/support/local-redis.ts';
import { captureLogs } from '#test/support/log-capture.ts';
import { postSlackEvent, recordQueueSends } from '#test/support/slack-events.ts';

const SECRET = 'events-test-signing-secret-0123456789';
const TENANT = 'acme';
const workspace = SAMPLE_WORKSPACE;
const redisFixture = useLocalRedis();
const queue = recordQueueSends();
const logs = captureLogs();

beforeAll(async () => {
  Object.assign(process.env, {
    ...redisFixture.settings(),
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: 'fake-slack-bot-token-for-event-tests',
    LOG_LEVEL: 'INFO',
  });
  resetConfigCache();
  await putWorkspaceMapping(redisFixture.client(), workspace.teamId, TENANT);
});
afterAll(() => {
  for (const name of ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'LOG_LEVEL']) {
    delete process.env[name];
  }
  resetConfigCache();
});
beforeEach(() => {
  queue.sent.length = 0;
});

const jobs = () => queue.sent.map((sent) => sent.message);

describe('the events function, through Bolt’s receiver', () => {
  it('answers url_verification with the challenge', async () => {
    // Act
    const response = await postSlackEvent(eventRequest(SECRET, urlVerification('c-123')));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ challenge: 'c-123' });
  });

  it('answers url_verification before Redis is configured, so the URL can be saved first', async () => {
    // Prepare
    const url = process.env.UPSTASH_REDIS_REST_URL;
    delete process.env.UPSTASH_REDIS_REST_URL;
    resetConfigCache();

    // Act
    const response = await postSlackEvent(eventRequest(SECRET, urlVerification('early')));
    process.env.UPSTASH_REDIS_REST_URL = url;
    resetConfigCache();

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ challenge: 'early' });
  });

  it('refuses a wrong, missing, stale or future signature with 401 and runs nothing', async () => {
    // Prepare
    const keysBefore = await redisFixture.allKeys();
    const event = sampleEvents.mention(workspace, 'hello?');
    const good = eventRequest(SECRET, event);
    const now = Math.floor(Date.now() / 1000);
    const requests = [
      eventRequest('another-secret-0123456789', event),
      { body: good.body, headers: { 'Content-Type': 'application/json' } },
      eventRequest(SECRET, event, { timestamp: now - 6 * 60 }),
      eventRequest(SECRET, event, { timestamp: now + 6 * 60 }),
      { body: `${good.body} `, headers: good.headers },
      // Not JSON and not signed: still 401, not a parse error.
      { body: 'not json', headers: { 'Content-Type': 'application/json' } },
    ];

    // Act
    const responses = await Promise.all(requests.map((request) => postSlackEvent(request)));

    // Assess
    expect(responses.map((response) => response.statusCode)).toEqual([
      401, 401, 401, 401, 401, 401,
    ]);
    expect(JSON.parse(responses[0]?.body ?? '{}').error.code).toBe('invalid_signature');
    expect(jobs()).toEqual([]);
    expect(await redisFixture.allKeys()).toEqual(keysBefore);
  });

  it('answers a signed body that is not JSON with 400', async () => {
    // Prepare
    const body = 'not json';
    const headers = { 'Content-Type': 'application/json', ...signSlackBody(SECRET, body) };

    // Act
    const response = await postSlackEvent({ body, headers });

    // Assess
    expect(response.statusCode).toBe(400);
  });

  it('queues a channel mention, answered in its thread, the mention taken out', async () => {
    // Prepare
    const event = sampleEvents.mention(workspace, 'What is the travel policy?');

    // Act
    const response = await postSlackEvent(eventRequest(SECRET, event));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(queue.sent.map((sent) => sent.queue)).toEqual(['slack-answers']);
    expect(jobs()).toEqual([
      {
        v: 1,
        kind: 'answer',
        tenant: TENANT,
        eventId: event.event_id,
        teamId: workspace.teamId,
        channel: workspace.channel,
        threadTs: event.event.ts,
        messageTs: event.event.ts,
        userId: workspace.userId,
        text: 'What is the travel policy?',
        botUserId: workspace.botUserId,
        direct: false,
      },
    ]);
  });

  it('queues a DM, and a mention inside an existing thread in that thread', async () => {
    // Prepare
    const threadTs = nextTs();
    const dm = sampleEvents.directMessage(workspace, 'hi there');
    const inThread = sampleEvents.mention(workspace, 'and this?', { threadTs });

    // Act
    await postSlackEvent(eventRequest(SECRET, dm));
    await postSlackEvent(eventRequest(SECRET, inThread));

    // Assess
    expect(jobs()).toMatchObject([
      { channel: workspace.dmChannel, direct: true, text: 'hi there', threadTs: dm.event.ts },
      { channel: workspace.channel, direct: false, threadTs, messageTs: inThread.event.ts },
    ]);
  });

  it('takes a thread follow-up without a mention only in a thread the bot answered in', async () => {
    // Prepare
    const threadTs = nextTs();
    const before = sampleEvents.threadReply(workspace, threadTs, 'follow-up before');
    const after = sampleEvents.threadReply(workspace, threadTs, 'follow-up after');

    // Act
    await postSlackEvent(eventRequest(SECRET, before));
    await answeredThreads.mark(redisFixture.client(), TENANT, {
      teamId: workspace.teamId,
      channel: workspace.channel,
      threadTs,
    });
    await postSlackEvent(eventRequest(SECRET, after));

    // Assess
    expect(jobs()).toMatchObject([
      { text: 'follow-up after', threadTs, messageTs: after.event.ts },
    ]);
  });

  it('ignores the bot itself, other bots, edits, deletions, joins, and messages that mention it', async () => {
    // Prepare: a channel where every message would be answered, so only the rules for
    // authors and subtypes can leave these out; chatter in a mentions-only channel too.
    await putChannelSettings(redisFixture.client(), TENANT, workspace.teamId, 'C0EVERY001', {
      respondTo: 'all',
      allowBots: false,
      enabled: true,
    });
    const base = { channel: 'C0EVERY001', channel_type: 'channel', ts: nextTs() };
    const events = [
      { ...base, type: 'message', channel_type: 'im', user: workspace.botUserId, text: 'own' },
      { ...base, type: 'message', subtype: 'bot_message', bot_id: 'B0OTHER01', text: 'bot' },
      { ...base, type: 'message', subtype: 'message_changed', message: { text: 'edited' } },
      { ...base, type: 'message', subtype: 'message_deleted', deleted_ts: base.ts },
      { ...base, type: 'message', subtype: 'channel_join', user: workspace.userId, text: 'joined' },
      { ...base, type: 'message', user: workspace.userId, text: `<@${workspace.botUserId}> hi` },
      {
        ...base,
        channel: workspace.channel,
        type: 'message',
        user: workspace.userId,
        text: 'chatter without a mention',
      },
      { ...base, type: 'reaction_added', user: workspace.userId },
    ];

    // Act
    const responses = await Promise.all(
      events.map((event) => postSlackEvent(eventRequest(SECRET, envelope(workspace, event)))),
    );

    // Assess
    expect(responses.every((response) => response.statusCode === 200)).toBe(true);
    expect(jobs()).toEqual([]);
  });

  it('follows per-channel settings: every message, bots allowed, the allowlist', async () => {
    // Prepare
    const redis = redisFixture.client();
    await putChannelSettings(redis, TENANT, workspace.teamId, 'C0ALLMSGS1', {
      respondTo: 'all',
      allowBots: true,
      enabled: true,
    });
    const inAll = (event: Record<string, unknown>) =>
      envelope(workspace, {
        channel: 'C0ALLMSGS1',
        channel_type: 'channel',
        ts: nextTs(),
        ...event,
      });
    const plain = inAll({ type: 'message', user: workspace.userId, text: 'no mention needed' });
    const fromBot = inAll({
      type: 'message',
      subtype: 'bot_message',
      bot_id: 'B0OTHER01',
      text: 'bot',
    });

    // Act
    await postSlackEvent(eventRequest(SECRET, plain));
    await postSlackEvent(eventRequest(SECRET, fromBot));
    await putTenantSlackSettings(redis, TENANT, { channelAllowlist: true });
    const unlisted = sampleEvents.mention(workspace, 'not on the list');
    const listed = inAll({ type: 'message', user: workspace.userId, text: 'listed' });
    const dm = sampleEvents.directMessage(workspace, 'DMs are always answered');
    for (const event of [unlisted, listed, dm]) await postSlackEvent(eventRequest(SECRET, event));
    await putTenantSlackSettings(redis, TENANT, { channelAllowlist: false });

    // Assess
    expect(jobs().map((job) => job.text)).toEqual([
      'no mention needed',
      'bot',
      'listed',
      'DMs are always answered',
    ]);
    expect(jobs()[1]).toMatchObject({ userId: 'B0OTHER01' });
  });

  it('acknowledges and drops a retry of an event already queued', async () => {
    // Prepare
    const event = sampleEvents.mention(workspace, 'asked once');

    // Act
    const first = await postSlackEvent(eventRequest(SECRET, event));
    const retries = [
      await postSlackEvent(eventRequest(SECRET, event, { retryNum: 1 })),
      await postSlackEvent(eventRequest(SECRET, event, { retryNum: 2 })),
    ];

    // Assess
    expect([first, ...retries].map((response) => response.statusCode)).toEqual([200, 200, 200]);
    expect(jobs()).toHaveLength(1);
    expect(await redisFixture.client().get(tenantKeys(TENANT).slackEvent(event.event_id))).toBe(
      'queued',
    );
  });

  it('takes the retry of an event whose first delivery never reached the queue', async () => {
    // Prepare
    const event = sampleEvents.mention(workspace, 'queue was down');
    queue.failNext();

    // Act
    const first = await postSlackEvent(eventRequest(SECRET, event));
    const retry = await postSlackEvent(eventRequest(SECRET, event, { retryNum: 1 }));

    // Assess
    expect(first.statusCode).toBe(503);
    expect(retry.statusCode).toBe(200);
    expect(jobs().map((job) => job.eventId)).toEqual([event.event_id]);
  });

  it('answers 503 to a delivery that finds another still on its way to the queue', async () => {
    // Prepare: the claim a delivery leaves between claiming and queueing.
    const event = sampleEvents.mention(workspace, 'two at once');
    await redisFixture
      .client()
      .set(tenantKeys(TENANT).slackEvent(event.event_id), 'pending', { ex: 30 });

    // Act
    const response = await postSlackEvent(eventRequest(SECRET, event, { retryNum: 1 }));

    // Assess
    expect(response.statusCode).toBe(503);
    expect(jobs()).toEqual([]);
  });

  it('queues the setup of a new assistant thread', async () => {
    // Prepare
    const event = sampleEvents.assistantThreadStarted(workspace);

    // Act
    await postSlackEvent(eventRequest(SECRET, event));

    // Assess
    expect(jobs()).toEqual([
      {
        v: 1,
        kind: 'thread-started',
        tenant: TENANT,
        eventId: event.event_id,
        teamId: workspace.teamId,
        channel: workspace.dmChannel,
        threadTs: event.event.assistant_thread.thread_ts,
        userId: workspace.userId,
      },
    ]);
  });

  it('gives an unmapped workspace nothing, and logs why', async () => {
    // Prepare
    const stranger = { ...workspace, teamId: 'T0STRANGER' };
    const event = sampleEvents.mention(stranger, 'anyone?');

    // Act
    const response = await postSlackEvent(eventRequest(SECRET, event));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(jobs()).toEqual([]);
    expect(logs.text()).toContain('workspace T0STRANGER is mapped to no tenant');
  });

  it('sends an unmapped workspace to SLACK_DEFAULT_TENANT when one is set', async () => {
    // Prepare
    process.env.SLACK_DEFAULT_TENANT = 'fallback';
    resetConfigCache();
    const event = sampleEvents.mention({ ...workspace, teamId: 'T0STRANGER' }, 'anyone now?');

    // Act
    await postSlackEvent(eventRequest(SECRET, event));
    delete process.env.SLACK_DEFAULT_TENANT;
    resetConfigCache();

    // Assess
    expect(jobs()).toMatchObject([{ tenant: 'fallback', teamId: 'T0STRANGER' }]);
  });

  it('stores a signed feedback vote against the answer, and refuses an unsigned one', async () => {
    // Prepare
    const place = { channel: workspace.channel, messageTs: nextTs(), threadTs: nextTs() };
    const press = interactionRequest(SECRET, feedbackPress(workspace, place, 'down'));
    const forged = { ...press, headers: { ...press.headers, 'X-Slack-Signature': 'v0=00' } };

    // Act
    const response = await postSlackEvent(press);
    const refused = await postSlackEvent(forged);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(refused.statusCode).toBe(401);
    const stored = await redisFixture
      .client()
      .hget<string>(
        tenantKeys(TENANT).slackFeedback,
        `${place.channel}:${place.messageTs}:${workspace.userId}`,
      );
    expect(JSON.parse(stored ?? '{}')).toMatchObject({ vote: 'down', teamId: workspace.teamId });
  });
});
