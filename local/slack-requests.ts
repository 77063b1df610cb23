import { createHmac, randomBytes } from 'node:crypto';

/**
 * Requests as Slack sends them to `/slack/events`, correctly signed: for tests, the
 * benchmark and `npm run slack:send`. The v0 signature is the HMAC-SHA256, keyed with the
 * signing secret, of `v0:{timestamp}:{body}`.
 */
export interface SignedSlackRequest {
  headers: Record<string, string>;
  body: string;
}

/** The signing secret `npm run dev` uses when `.env` has none (the local stand-in's). */
export const LOCAL_SIGNING_SECRET = 'local-dev-signing-secret-0123456789';

/** Slack's two signature headers for `body`, signed with `secret` at `timestamp` (now). */
export function signSlackBody(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'X-Slack-Signature': `v0=${signature}`,
    'X-Slack-Request-Timestamp': String(timestamp),
  };
}

/** An Events API request; `retryNum` adds Slack's retry headers. */
export function eventRequest(
  secret: string,
  envelope: unknown,
  options: { retryNum?: number; timestamp?: number } = {},
): SignedSlackRequest {
  const body = JSON.stringify(envelope);
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      ...signSlackBody(secret, body, options.timestamp),
      ...(options.retryNum === undefined
        ? {}
        : {
            'X-Slack-Retry-Num': String(options.retryNum),
            'X-Slack-Retry-Reason': 'http_timeout',
          }),
    },
  };
}

/** An interactivity request: the payload form-encoded as `payload=…`, as Slack posts it. */
export function interactionRequest(secret: string, payload: unknown): SignedSlackRequest {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return {
    body,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...signSlackBody(secret, body),
    },
  };
}

/** Where sample events happen: a workspace, its bot, a channel, a person. */
export interface SampleWorkspace {
  teamId: string;
  botUserId: string;
  channel: string;
  dmChannel: string;
  userId: string;
}

/** The workspace `npm run slack:send` and the tests' sample events come from. */
export const SAMPLE_WORKSPACE: SampleWorkspace = {
  teamId: 'T0LOCAL001',
  botUserId: 'UBOT000001',
  channel: 'C0LOCAL001',
  dmChannel: 'D0LOCAL001',
  userId: 'U0PERSON01',
};

let sequence = 0;

/** A fresh Slack-like message ts and event id. */
export function nextTs(): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${Math.floor(Date.now() / 1000)}.${String(sequence).padStart(6, '0')}`;
}

function newEventId(): string {
  return `Ev${randomBytes(6).toString('hex').toUpperCase()}`;
}

/** The `event_callback` envelope around an inner event. */
export function envelope<E extends Record<string, unknown>>(
  workspace: SampleWorkspace,
  event: E,
  options: { eventId?: string; enterpriseId?: string } = {},
) {
  return {
    token: 'unused-verification-token',
    team_id: workspace.teamId,
    ...(options.enterpriseId ? { enterprise_id: options.enterpriseId } : {}),
    api_app_id: 'A0LOCAL001',
    type: 'event_callback' as const,
    event_id: options.eventId ?? newEventId(),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: workspace.teamId, user_id: workspace.botUserId, is_bot: true }],
    event: { event_ts: event.ts, ...event },
  };
}

/** Sample events, as a workspace sends them. */
export const sampleEvents = {
  /** Someone mentions the bot in a channel. */
  mention(workspace: SampleWorkspace, text: string, options: { threadTs?: string } = {}) {
    return envelope(workspace, {
      type: 'app_mention',
      user: workspace.userId,
      text: `<@${workspace.botUserId}> ${text}`,
      ts: nextTs(),
      channel: workspace.channel,
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    });
  },
  /** Someone writes to the bot in a DM. */
  directMessage(workspace: SampleWorkspace, text: string, options: { threadTs?: string } = {}) {
    return envelope(workspace, {
      type: 'message',
      channel_type: 'im',
      user: workspace.userId,
      text,
      ts: nextTs(),
      channel: workspace.dmChannel,
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    });
  },
  /** A reply in a channel thread, without a mention. */
  threadReply(workspace: SampleWorkspace, threadTs: string, text: string) {
    return envelope(workspace, {
      type: 'message',
      channel_type: 'channel',
      user: workspace.userId,
      text,
      ts: nextTs(),
      thread_ts: threadTs,
      channel: workspace.channel,
    });
  },
  /** The assistant surface opened a thread for the person. */
  assistantThreadStarted(workspace: SampleWorkspace) {
    const threadTs = nextTs();
    return envelope(workspace, {
      type: 'assistant_thread_started',
      assistant_thread: {
        user_id: workspace.userId,
        channel_id: workspace.dmChannel,
        thread_ts: threadTs,
        context: { channel_id: workspace.channel, team_id: workspace.teamId },
      },
      ts: threadTs,
    });
  },
};

/** Slack's `url_verification` handshake, sent when the request URL is saved. */
export function urlVerification(challenge: string) {
  return { token: 'unused-verification-token', challenge, type: 'url_verification' };
}

/** A press of a feedback button under the answer `messageTs`. */
export function feedbackPress(
  workspace: SampleWorkspace,
  place: { channel: string; messageTs: string; threadTs: string },
  vote: 'up' | 'down',
) {
  return {
    type: 'block_actions',
    team: { id: workspace.teamId, domain: 'local' },
    user: { id: workspace.userId, team_id: workspace.teamId },
    api_app_id: 'A0LOCAL001',
    container: {
      type: 'message',
      message_ts: place.messageTs,
      channel_id: place.channel,
      is_ephemeral: false,
    },
    channel: { id: place.channel },
    message: { ts: place.messageTs, thread_ts: place.threadTs, text: 'answer' },
    actions: [
      {
        type: 'button',
        action_id: vote === 'up' ? 'answer_feedback_up' : 'answer_feedback_down',
        block_id: 'answer_feedback',
        value: vote,
        action_ts: nextTs(),
      },
    ],
  };
}
