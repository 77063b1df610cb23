import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  eventRequest,
  nextTs,
  SAMPLE_WORKSPACE,
  type SampleWorkspace,
  sampleEvents,
} from '#local/slack-requests.ts';
import { KnowledgeIndex, memoryNamespace } from '#shared/knowledge/index/index.ts';
import { tenantKeys } from '#shared/platform/tenancy/index.ts';
import { callApi, issueKey } from '../support/api-client.ts';
import { useSlackApp } from '../support/slack-app.ts';

const TENANT = 'acme';
const app = useSlackApp({ SLACK_DEFAULT_TENANT: TENANT, SLACK_RATE_LIMIT_PER_MINUTE: '3' });
let people = 0;

/** A workspace seen by a new person: each test's questions count against its own limit. */
function someone(): SampleWorkspace {
  people += 1;
  return { ...SAMPLE_WORKSPACE, userId: `U0PERSON${String(people).padStart(2, '0')}` };
}

beforeAll(async () => {
  const admin = await issueKey(app.api, app.adminKey, TENANT, ['admin']);
  const ingested = await callApi(app.api, 'POST', '/v1/documents', admin, {
    text: '# Travel\n\nEconomy class is booked for flights under six hours.\n',
    contentType: 'text/markdown',
    title: 'Travel policy',
    source: 'https://intranet.example/travel',
  });
  expect(ingested.status).toBe(201);
});

beforeEach(() => {
  app.slack.reset();
  app.model.clearRequests();
  app.model.setChatResponder((messages) => {
    const prompt = messages.at(-1)?.content ?? '';
    const cited = /\[(\d+)\] Travel policy/.exec(prompt)?.[1];
    return `Flights under six hours are **economy** class${cited ? ` [${cited}]` : ''}. ${'More detail follows. '.repeat(60)}`;
  });
});

/** Sends a signed event and waits until the worker has handled everything queued. */
async function deliver(envelope: unknown, retryNum?: number): Promise<number> {
  const response = await app.post(
    eventRequest(app.signingSecret, envelope, retryNum === undefined ? {} : { retryNum }),
  );
  await app.queue.idle();
  return response.status;
}

const botMessages = (channel: string, threadTs: string) =>
  app.slack.thread(channel, threadTs).filter((message) => message.user === app.slack.botUserId);

/** The ids the buttons and the context block of an answer carry. */
function footerOf(blocks: unknown[] | undefined) {
  const typed = (blocks ?? []) as {
    type: string;
    elements?: { text?: string; action_id?: string }[];
  }[];
  return {
    sources: typed.find((block) => block.type === 'context')?.elements?.map((e) => e.text),
    buttons: typed.find((block) => block.type === 'actions')?.elements?.map((e) => e.action_id),
  };
}

describe('the Slack worker', () => {
  it('streams the answer to a mention into its thread, with sources and feedback buttons', async () => {
    // Prepare
    const event = sampleEvents.mention(someone(), 'Which class for a 3 hour flight?');
    const threadTs = event.event.ts;
    app.slack.addMessage(SAMPLE_WORKSPACE.channel, {
      ts: threadTs,
      user: event.event.user,
      text: event.event.text,
    });

    // Act
    const status = await deliver(event);

    // Assess: 👀 at once, the thread read, the answer streamed, the 👀 taken back.
    expect(status).toBe(200);
    const methods = app.slack.calls.map((call) => call.method);
    const appends = methods.filter((method) => method === 'chat.appendStream').length;
    expect(appends).toBeGreaterThanOrEqual(1);
    expect(methods).toEqual([
      'reactions.add',
      'conversations.replies',
      'chat.startStream',
      ...Array(appends).fill('chat.appendStream'),
      'chat.stopStream',
      'reactions.remove',
    ]);
    const [start] = app.slack.callsTo('chat.startStream');
    expect(start?.args).toMatchObject({
      channel: SAMPLE_WORKSPACE.channel,
      thread_ts: threadTs,
      recipient_team_id: SAMPLE_WORKSPACE.teamId,
      recipient_user_id: event.event.user,
    });
    expect(app.slack.callsTo('reactions.add')[0]?.args).toMatchObject({
      channel: SAMPLE_WORKSPACE.channel,
      timestamp: threadTs,
      name: 'eyes',
    });
    const [answer] = botMessages(SAMPLE_WORKSPACE.channel, threadTs);
    expect(answer?.text).toMatch(/^Flights under six hours are \*\*economy\*\* class \[1\]\./);
    expect(answer?.streaming).toBeUndefined();
    expect(footerOf(answer?.blocks)).toEqual({
      sources: ['[1] <https://intranet.example/travel|Travel policy>'],
      buttons: ['answer_feedback_up', 'answer_feedback_down'],
    });
    expect(app.slack.callsTo('chat.postMessage')).toEqual([]);
    const record = await app.redis.client().hgetall(tenantKeys(TENANT).slackAnswer(event.event_id));
    expect(record).toEqual(expect.arrayContaining(['state', 'done', 'ts', answer?.ts]));
  });

  it('gives the thread as context and answers a follow-up without a mention', async () => {
    // Prepare: someone asks, the bot answers, a colleague adds a detail, then a follow-up.
    const person = someone();
    const first = sampleEvents.mention(person, 'Which class for a 3 hour flight?');
    const threadTs = first.event.ts;
    app.slack.addMessage(person.channel, {
      ts: threadTs,
      user: person.userId,
      text: first.event.text,
    });
    await deliver(first);
    app.slack.addMessage(person.channel, {
      user: 'U0COLLEAGUE',
      thread_ts: threadTs,
      text: 'The flight is to Lisbon, by the way.',
    });
    const followUp = sampleEvents.threadReply(person, threadTs, 'And the way back?');
    app.slack.addMessage(person.channel, {
      ts: followUp.event.ts,
      user: person.userId,
      thread_ts: threadTs,
      text: 'And the way back?',
    });
    app.model.clearRequests();

    // Act
    await deliver(followUp);

    // Assess
    const prompt = JSON.stringify(app.model.requestsTo('/chat/completions')[0]?.body);
    expect(prompt).toContain('Which class for a 3 hour flight?');
    expect(prompt).toContain('The flight is to Lisbon, by the way.');
    expect(prompt).toContain('U0COLLEAGUE');
    expect(prompt).toContain('Flights under six hours are');
    expect(prompt).toContain('And the way back?');
    expect(botMessages(person.channel, threadTs)).toHaveLength(2);
  });

  it('reads a long thread page by page up to the question, giving the latest messages as context', async () => {
    // Prepare: 450 messages in the thread, then a mention in it, then a later message.
    const person = someone();
    const start = Math.floor(Date.now() / 1000) - 1000;
    const threadTs = `${start}.000000`;
    app.slack.addMessage(person.channel, {
      ts: threadTs,
      user: 'U0COLLEAGUE',
      text: 'message start',
    });
    for (let n = 1; n < 450; n += 1) {
      const ts = `${start}.${String(n).padStart(6, '0')}`;
      app.slack.addMessage(person.channel, {
        ts,
        user: 'U0COLLEAGUE',
        thread_ts: threadTs,
        text: `message ${n}`,
      });
    }
    const event = sampleEvents.mention(person, 'What did we conclude?', { threadTs });
    app.slack.addMessage(person.channel, {
      ts: event.event.ts,
      user: person.userId,
      thread_ts: threadTs,
      text: event.event.text,
    });
    app.slack.addMessage(person.channel, {
      ts: `${start + 2000}.000001`,
      user: 'U0COLLEAGUE',
      thread_ts: threadTs,
      text: 'written later',
    });

    // Act
    await deliver(event);

    // Assess
    const reads = app.slack.callsTo('conversations.replies');
    expect(reads).toHaveLength(3);
    expect(reads[0]?.args).toMatchObject({
      channel: person.channel,
      ts: threadTs,
      latest: event.event.ts,
    });
    const prompt = JSON.stringify(app.model.requestsTo('/chat/completions')[0]?.body);
    expect(prompt).toContain('message 449');
    expect(prompt).not.toContain('message start');
    expect(prompt).not.toContain('written later');
  });

  it('recalls what a person asked in a channel when they ask in a DM: one chat user per Slack user', async () => {
    // Prepare
    const person = someone();
    await deliver(sampleEvents.mention(person, 'Is the Lisbon office open on Fridays?'));
    app.model.clearRequests();

    // Act: a new DM thread, so the channel question can only come from memory.
    await deliver(sampleEvents.directMessage(person, 'When is the Lisbon office open?'));

    // Assess
    const prompt = JSON.stringify(app.model.requestsTo('/chat/completions')[0]?.body);
    expect(prompt).toContain('Is the Lisbon office open on Fridays?');
    const path = `/v1/users/slack.${person.teamId}.${person.userId}/memory`;
    // A Slack user's memory is the Slack app's: a tenant's chat key may not read it.
    const refused = await callApi(
      app.api,
      'GET',
      path,
      await issueKey(app.api, app.adminKey, TENANT, ['chat']),
    );
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('reserved_user_id');
    const { documents } = await new KnowledgeIndex(app.redis.client()).loadDocuments({
      tenant: TENANT,
      namespace: memoryNamespace(`slack.${person.teamId}.${person.userId}`),
    });
    expect(documents.map((document) => document.chunks[0]?.text)).toEqual(
      expect.arrayContaining([
        'Is the Lisbon office open on Fridays?',
        'When is the Lisbon office open?',
      ]),
    );
  });

  it('answers a Slack retry of an answered event, and an SQS redelivery of its job, no second time', async () => {
    // Prepare
    const event = sampleEvents.mention(someone(), 'Asked once, delivered thrice?');
    await deliver(event);
    const queued = await app.redis.client().get(tenantKeys(TENANT).slackEvent(event.event_id));

    // Act: Slack retries the event; SQS delivers the job again.
    const retried = await deliver(event, 1);
    app.queue.send(
      JSON.stringify({
        v: 1,
        kind: 'answer',
        tenant: TENANT,
        eventId: event.event_id,
        teamId: SAMPLE_WORKSPACE.teamId,
        channel: SAMPLE_WORKSPACE.channel,
        threadTs: event.event.ts,
        messageTs: event.event.ts,
        userId: event.event.user,
        text: 'Asked once, delivered thrice?',
        botUserId: SAMPLE_WORKSPACE.botUserId,
        direct: false,
      }),
    );
    await app.queue.idle();

    // Assess
    expect(queued).toBe('queued');
    expect(retried).toBe(200);
    expect(app.slack.callsTo('chat.startStream')).toHaveLength(1);
    expect(botMessages(SAMPLE_WORKSPACE.channel, event.event.ts)).toHaveLength(1);
  });

  it('finishes in the same message when the worker crashed after Slack took its answer', async () => {
    // Prepare: Slack ends the stream, but the worker never hears back and fails.
    const event = sampleEvents.mention(someone(), 'Crash after posting?');
    app.slack.fail({ method: 'chat.stopStream', afterApplying: true, times: 1 });

    // Act
    await deliver(event);

    // Assess: one stream, then the redelivery edits that message instead of posting.
    const [answer, ...more] = botMessages(SAMPLE_WORKSPACE.channel, event.event.ts);
    expect(more).toEqual([]);
    expect(app.slack.callsTo('chat.startStream')).toHaveLength(1);
    expect(app.slack.callsTo('chat.postMessage')).toEqual([]);
    const updates = app.slack.callsTo('chat.update');
    expect(updates.at(-1)?.args).toMatchObject({
      channel: SAMPLE_WORKSPACE.channel,
      ts: answer?.ts,
    });
    expect(answer?.text).toMatch(/^Flights under six hours are \*economy\* class \[1\]\./);
    expect(footerOf(answer?.blocks).buttons).toEqual([
      'answer_feedback_up',
      'answer_feedback_down',
    ]);
  });

  it('edits the message a short answer started when ending its stream failed', async () => {
    // Prepare: an answer short enough to start and end the stream in one go.
    const event = sampleEvents.mention(someone(), 'Short answer?');
    app.model.setChatResponder(() => 'Economy, always.');
    app.slack.fail({ method: 'chat.stopStream', error: 'internal_error', times: 1 });

    // Act
    await deliver(event);

    // Assess
    const [answer, ...more] = botMessages(SAMPLE_WORKSPACE.channel, event.event.ts);
    expect(more).toEqual([]);
    expect(app.slack.callsTo('chat.startStream')).toHaveLength(1);
    expect(app.slack.callsTo('chat.postMessage')).toEqual([]);
    expect(app.slack.callsTo('chat.update').at(-1)?.args).toMatchObject({ ts: answer?.ts });
    expect(answer?.text).toBe('Economy, always.');
  });

  it('posts once and edits where Slack refuses to stream, in mrkdwn', async () => {
    // Prepare
    const event = sampleEvents.mention(someone(), 'No streaming here?');
    app.slack.fail({ method: 'chat.startStream', error: 'feature_not_enabled' });

    // Act
    await deliver(event);

    // Assess
    const posts = app.slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args).toMatchObject({
      channel: SAMPLE_WORKSPACE.channel,
      thread_ts: event.event.ts,
    });
    const [answer, ...more] = botMessages(SAMPLE_WORKSPACE.channel, event.event.ts);
    expect(more).toEqual([]);
    expect(answer?.text).toMatch(/^Flights under six hours are \*economy\* class \[1\]\./);
    const sections = ((answer?.blocks ?? []) as { type: string; text?: { text: string } }[]).filter(
      (block) => block.type === 'section',
    );
    expect(sections[0]?.text?.text).toContain('*economy*');
    expect(footerOf(answer?.blocks).sources).toEqual([
      '[1] <https://intranet.example/travel|Travel policy>',
    ]);
  });

  it('splits an answer longer than one message, the footer under the last part', async () => {
    // Prepare
    const event = sampleEvents.mention(someone(), 'Tell me everything.');
    const words = Array.from({ length: 2600 }, (_, index) => `word${index}`);
    const answer = `${words.slice(0, 1300).join(' ')}\n\n${words.slice(1300).join(' ')}`;
    app.model.setChatResponder(() => answer);

    // Act
    await deliver(event);

    // Assess
    const messages = botMessages(SAMPLE_WORKSPACE.channel, event.event.ts);
    expect(messages.length).toBeGreaterThan(1);
    // Every word once, in order, across the messages.
    const said = messages.flatMap((message) => message.text.split(/\s+/).filter(Boolean));
    expect(said).toEqual(words);
    expect(messages[0]?.text.length).toBeLessThanOrEqual(12_000);
    expect(footerOf(messages[0]?.blocks).buttons).toBeUndefined();
    expect(footerOf(messages.at(-1)?.blocks).buttons).toEqual([
      'answer_feedback_up',
      'answer_feedback_down',
    ]);
    for (const message of messages.slice(1)) {
      for (const block of (message.blocks ?? []) as { type: string; text?: { text: string } }[]) {
        if (block.type === 'section') expect(block.text?.text.length).toBeLessThanOrEqual(3000);
      }
    }
  });

  it('uses the assistant status in a DM and names the assistant thread after the question', async () => {
    // Prepare
    const person = someone();
    const event = sampleEvents.directMessage(person, 'How do I book a flight?', {
      threadTs: nextTs(),
    });

    // Act
    await deliver(event);

    // Assess
    expect(app.slack.callsTo('assistant.threads.setStatus')[0]?.args).toEqual({
      channel_id: person.dmChannel,
      thread_ts: event.event.thread_ts,
      status: 'is thinking…',
    });
    expect(app.slack.callsTo('assistant.threads.setTitle')[0]?.args).toMatchObject({
      title: 'How do I book a flight?',
    });
    expect(app.slack.callsTo('reactions.add')).toEqual([]);
    expect(app.slack.callsTo('chat.startStream')[0]?.args).toMatchObject({
      channel: person.dmChannel,
      thread_ts: event.event.thread_ts,
    });
  });

  it('offers suggested prompts and a title when an assistant thread opens', async () => {
    // Prepare
    const event = sampleEvents.assistantThreadStarted(someone());

    // Act
    await deliver(event);

    // Assess
    const place = {
      channel_id: SAMPLE_WORKSPACE.dmChannel,
      thread_ts: event.event.assistant_thread.thread_ts,
    };
    const [prompts] = app.slack.callsTo('assistant.threads.setSuggestedPrompts');
    expect(prompts?.args).toMatchObject(place);
    expect(prompts?.args.prompts).toHaveLength(3);
    expect(app.slack.callsTo('assistant.threads.setTitle')[0]?.args).toMatchObject(place);
  });

  it('answers a person over the rate limit with one short ephemeral notice', async () => {
    // Prepare: the limit is 3 a minute.
    const person = someone();
    const events = [1, 2, 3, 4].map((n) => sampleEvents.mention(person, `question ${n}`));

    // Act
    for (const event of events) await deliver(event);

    // Assess
    expect(app.slack.callsTo('chat.startStream')).toHaveLength(3);
    const notices = app.slack.callsTo('chat.postEphemeral');
    expect(notices).toHaveLength(1);
    expect(notices[0]?.args).toMatchObject({
      channel: person.channel,
      user: person.userId,
      thread_ts: events[3]?.event.ts,
    });
    expect(String(notices[0]?.args.text)).toMatch(/3 questions a minute/);
  });

  it('apologizes once with a reference after the last try, and leaves the job in the DLQ', async () => {
    // Prepare: the model fails on each of the job's three deliveries (no retries within one).
    const event = sampleEvents.mention(someone(), 'Will this fail?');
    const deadBefore = app.queue.deadLetters.length;
    app.model.failNext({ kind: 'status', status: 500, times: 3, path: '/chat/completions' });

    // Act
    await deliver(event);

    // Assess
    const messages = botMessages(SAMPLE_WORKSPACE.channel, event.event.ts);
    expect(messages.map((message) => message.text)).toEqual([
      `Sorry, I couldn't answer that. If you report it, quote reference \`${event.event_id}\`.`,
    ]);
    expect(app.queue.deadLetters.length).toBe(deadBefore + 1);
    expect(JSON.parse(app.queue.deadLetters.at(-1)?.body ?? '{}')).toMatchObject({
      eventId: event.event_id,
    });
  });
});
