import { describe, expect, it } from 'vitest';
import { envelope, SAMPLE_WORKSPACE } from '#local/slack-requests.ts';
import { readIntent, shouldAnswer } from '#shared/slack/events/select-message.ts';
import { compareSlackTs } from '#shared/slack/ids.ts';
import { channelSettingsSchema } from '#shared/slack/settings/channel-settings.ts';
import { answerFooter } from '#shared/slack/worker/blocks.ts';
import { toMrkdwn } from '#shared/slack/worker/mrkdwn.ts';
import { splitText } from '#shared/slack/worker/split-text.ts';
import { threadHistory } from '#shared/slack/worker/thread-history.ts';

const workspace = SAMPLE_WORKSPACE;
const defaults = channelSettingsSchema.parse({});

describe('toMrkdwn', () => {
  it('turns Markdown into Slack mrkdwn', () => {
    // Act
    const text = toMrkdwn(
      '# Travel\n\n**Economy** for *short* flights, ~~never~~ see [the policy](https://intranet.example/travel) [1].\n\n- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n`code`',
    );

    // Assess
    expect(text).toBe(
      [
        '*Travel*',
        '*Economy* for _short_ flights, ~~never~~ see <https://intranet.example/travel|the policy> [1].',
        '• one\n• two',
        '1. first\n2. second',
        '> quoted',
        '`code`',
      ].join('\n\n'),
    );
  });

  it('escapes what Slack would read as mentions or links, code included', () => {
    // Act
    const text = toMrkdwn('Ask <@U123> & <!channel>: `a < b`\n\n```\nx > y\n```');

    // Assess
    expect(text).toBe('Ask &lt;@U123&gt; &amp; &lt;!channel&gt;: `a &lt; b`\n\n```\nx &gt; y\n```');
  });

  it('keeps a link whose URL could close it and open a mention as plain text', () => {
    for (const markdown of [
      '[policy](<https://x.co/\\>\\<!here\\>>)',
      '[a](https://x.com/&lt;!channel&gt;)',
      '[b](https://x.com/a|<!everyone>)',
    ]) {
      const text = toMrkdwn(markdown);
      expect(text, markdown).not.toMatch(/<!(here|channel|everyone)/);
      expect(text, markdown).not.toContain('<https');
    }
    expect(toMrkdwn('[docs](https://example.com/a?b=1)')).toBe('<https://example.com/a?b=1|docs>');
  });

  it('keeps only the text of a link that is not http(s)', () => {
    expect(toMrkdwn('[run it](javascript:alert(1))')).toBe('run it');
  });
});

describe('splitText', () => {
  it('cuts at paragraph, then line, then word boundaries, within the limit', () => {
    // Prepare
    const text = `${'a'.repeat(60)}\n\n${'b'.repeat(30)} ${'c'.repeat(30)}\n${'d'.repeat(50)}`;

    // Act
    const parts = splitText(text, 70);

    // Assess
    expect(parts).toEqual(['a'.repeat(60), `${'b'.repeat(30)} ${'c'.repeat(30)}`, 'd'.repeat(50)]);
    expect(parts.every((part) => part.length <= 70)).toBe(true);
  });

  it('cuts a word only when a part has no space at all', () => {
    expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});

describe('which messages get an answer', () => {
  const message = (event: Record<string, unknown>) =>
    readIntent(
      envelope(workspace, {
        type: 'message',
        channel: workspace.channel,
        channel_type: 'channel',
        user: workspace.userId,
        ts: '1700000000.000200',
        ...event,
      }),
    );

  it('ignores edits, deletions, joins and the bot itself before any setting is read', () => {
    for (const event of [
      { subtype: 'message_changed' },
      { subtype: 'message_deleted' },
      { subtype: 'channel_join' },
      { user: workspace.botUserId },
      // Posted by this app without its bot user, e.g. by another of its tokens.
      { subtype: 'bot_message', user: undefined, bot_id: 'B0SELF0001', app_id: 'A0LOCAL001' },
    ]) {
      expect(message(event).kind).toBe('ignore');
    }
  });

  it('answers a mention in a DM once, from its message event', () => {
    const dm = { channel: 'D0DIRECT01', channel_type: 'im', text: `<@${workspace.botUserId}> hi` };

    expect(message({ ...dm, type: 'app_mention' })).toMatchObject({
      kind: 'ignore',
      reason: 'mention in a DM, answered from its message event',
    });
    expect(message(dm)).toMatchObject({ kind: 'message', via: 'direct' });
  });

  it('answers a thread follow-up only where the bot answered, and top-level chatter only in "all" channels', () => {
    // Prepare
    const followUp = message({ thread_ts: '1700000000.000100', text: 'and then?' });
    const chatter = message({ text: 'lunch?' });
    if (followUp.kind !== 'message' || chatter.kind !== 'message') throw new Error('not messages');
    const all = { ...defaults, respondTo: 'all' as const };

    // Act / Assess
    expect(
      shouldAnswer(followUp, { channel: defaults, allowed: true, threadAnswered: true }),
    ).toEqual({ answer: true });
    expect(
      shouldAnswer(followUp, { channel: defaults, allowed: true, threadAnswered: false }).answer,
    ).toBe(false);
    expect(
      shouldAnswer(chatter, { channel: defaults, allowed: true, threadAnswered: false }).answer,
    ).toBe(false);
    expect(shouldAnswer(chatter, { channel: all, allowed: true, threadAnswered: false })).toEqual({
      answer: true,
    });
    expect(
      shouldAnswer(chatter, { channel: all, allowed: false, threadAnswered: false }).answer,
    ).toBe(false);
  });

  it('answers other bots only where the channel allows them', () => {
    // Prepare
    const fromBot = message({
      subtype: 'bot_message',
      user: undefined,
      bot_id: 'B0OTHER01',
      text: 'hi',
    });
    if (fromBot.kind !== 'message') throw new Error('not a message');
    const all = { ...defaults, respondTo: 'all' as const };

    // Act / Assess
    expect(
      shouldAnswer(fromBot, { channel: all, allowed: true, threadAnswered: false }).answer,
    ).toBe(false);
    expect(
      shouldAnswer(fromBot, {
        channel: { ...all, allowBots: true },
        allowed: true,
        threadAnswered: false,
      }),
    ).toEqual({ answer: true });
  });
});

describe('the answer around the text', () => {
  it('gives the thread before the question as history, the bot as the assistant, people with their names', () => {
    // Act
    const history = threadHistory(
      [
        {
          ts: '1700000000.000100',
          user: 'U0ASKER001',
          text: `<@${workspace.botUserId}> first question`,
        },
        { ts: '1700000000.000200', user: workspace.botUserId, text: 'first answer' },
        { ts: '1700000000.000300', user: 'U0OTHER001', text: 'a remark' },
        { ts: '1700000000.000400', user: 'U0ASKER001', text: 'the question itself' },
        { ts: '1700000000.000500', user: 'U0OTHER001', text: 'written after it' },
      ],
      { messageTs: '1700000000.000400', botUserId: workspace.botUserId },
    );

    // Assess
    expect(history).toEqual([
      { role: 'user', text: 'first question', author: '<@U0ASKER001>' },
      { role: 'assistant', text: 'first answer' },
      { role: 'user', text: 'a remark', author: '<@U0OTHER001>' },
    ]);
  });

  it('shows sources compactly, linked when they are URLs, with their pages', () => {
    // Act
    const [context, actions] = answerFooter([
      {
        n: 1,
        title: 'Travel policy',
        source: 'https://intranet.example/travel',
        pageRange: { from: 3, to: 3 },
      },
      {
        n: 2,
        title: 'Handbook <draft>',
        source: 'drive://hr/handbook.pdf',
        pageRange: { from: 2, to: 4 },
      },
      { n: 3, title: '', source: 'notes.md', pageRange: null },
    ]);

    // Assess
    expect(context).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: '[1] <https://intranet.example/travel|Travel policy>, p. 3' },
        { type: 'mrkdwn', text: '[2] Handbook &lt;draft&gt;, pp. 2–4' },
        { type: 'mrkdwn', text: '[3] notes.md' },
      ],
    });
    expect(actions).toMatchObject({ type: 'actions', block_id: 'answer_feedback' });
  });

  it('orders Slack timestamps by their seconds and micros exactly', () => {
    expect(compareSlackTs('1700000000.000010', '1700000000.000009')).toBeGreaterThan(0);
    expect(compareSlackTs('1699999999.999999', '1700000000.000001')).toBeLessThan(0);
  });
});
