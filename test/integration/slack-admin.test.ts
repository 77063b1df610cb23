import { describe, expect, it } from 'vitest';
import {
  eventRequest,
  feedbackPress,
  interactionRequest,
  SAMPLE_WORKSPACE,
  sampleEvents,
} from '#local/slack-requests.ts';
import { GLOBAL_KEYS, tenantOfKey } from '#shared/platform/tenancy/index.ts';
import { callApi, issueKey } from '../support/api-client.ts';
import { useSlackApp } from '../support/slack-app.ts';

const app = useSlackApp();

describe('Slack admin routes', () => {
  it('let only the operator map a workspace to a tenant, which then gets answers', async () => {
    // Prepare
    const tenantAdmin = await issueKey(app.api, app.adminKey, 'acme', ['admin']);
    const event = sampleEvents.mention(SAMPLE_WORKSPACE, 'mapped yet?');

    // Act
    const before = await app.post(eventRequest(app.signingSecret, event));
    await app.queue.idle();
    const refused = await callApi(
      app.api,
      'PUT',
      `/v1/slack/workspaces/${SAMPLE_WORKSPACE.teamId}`,
      tenantAdmin,
      { tenant: 'acme' },
    );
    const mapped = await callApi(
      app.api,
      'PUT',
      `/v1/slack/workspaces/${SAMPLE_WORKSPACE.teamId}`,
      app.adminKey,
      { tenant: 'acme' },
    );
    const org = await callApi(app.api, 'PUT', '/v1/slack/workspaces/E0ORG00001', app.adminKey, {
      tenant: 'globex',
    });
    const listed = await callApi(app.api, 'GET', '/v1/slack/workspaces', app.adminKey);
    const after = await app.post(
      eventRequest(app.signingSecret, sampleEvents.mention(SAMPLE_WORKSPACE, 'now?')),
    );
    await app.queue.idle();

    // Assess
    expect(before.status).toBe(200);
    expect(refused.status).toBe(403);
    expect(mapped.status).toBe(200);
    expect(mapped.json).toEqual({
      workspaceId: SAMPLE_WORKSPACE.teamId,
      kind: 'team',
      tenant: 'acme',
    });
    expect(org.json).toEqual({ workspaceId: 'E0ORG00001', kind: 'enterprise', tenant: 'globex' });
    expect(listed.json.workspaces).toEqual([org.json, mapped.json]);
    expect(after.status).toBe(200);
    expect(app.slack.callsTo('chat.startStream')).toHaveLength(1);
    expect(app.slack.callsTo('chat.startStream')[0]?.args.thread_ts).not.toBe(event.event.ts);
  });

  it('remove a mapping, and answer 404 for one that does not exist', async () => {
    // Act
    await callApi(app.api, 'PUT', '/v1/slack/workspaces/T0GONE0001', app.adminKey, {
      tenant: 'acme',
    });
    const removed = await callApi(
      app.api,
      'DELETE',
      '/v1/slack/workspaces/T0GONE0001',
      app.adminKey,
    );
    const again = await callApi(app.api, 'DELETE', '/v1/slack/workspaces/T0GONE0001', app.adminKey);
    const invalid = await callApi(app.api, 'PUT', '/v1/slack/workspaces/not-an-id', app.adminKey, {
      tenant: 'acme',
    });

    // Assess
    expect(removed.status).toBe(204);
    expect(again.status).toBe(404);
    expect(invalid.status).toBe(400);
  });

  it("set a tenant's channel settings and allowlist, within its own tenant only", async () => {
    // Prepare
    const acme = await issueKey(app.api, app.adminKey, 'acme', ['admin']);
    const chatOnly = await issueKey(app.api, app.adminKey, 'acme', ['chat']);
    const path = `/v1/slack/channels/${SAMPLE_WORKSPACE.teamId}/C0GENERAL1`;

    // Act
    const put = await callApi(app.api, 'PUT', path, acme, { respondTo: 'all' });
    const allowlist = await callApi(app.api, 'PUT', '/v1/slack/settings', acme, {
      channelAllowlist: true,
    });
    const read = await callApi(app.api, 'GET', '/v1/slack/settings', acme);
    const otherTenant = await callApi(app.api, 'GET', '/v1/slack/settings?tenant=globex', acme);
    const operatorReads = await callApi(
      app.api,
      'GET',
      '/v1/slack/settings?tenant=acme',
      app.adminKey,
    );
    const noScope = await callApi(app.api, 'PUT', path, chatOnly, { respondTo: 'all' });
    const unknownField = await callApi(app.api, 'PUT', path, acme, { respondTo: 'sometimes' });
    const removed = await callApi(app.api, 'DELETE', path, acme);
    const removedAgain = await callApi(app.api, 'DELETE', path, acme);

    // Assess
    expect(put.json).toEqual({
      teamId: SAMPLE_WORKSPACE.teamId,
      channel: 'C0GENERAL1',
      respondTo: 'all',
      allowBots: false,
      enabled: true,
    });
    expect(allowlist.json).toEqual({ channelAllowlist: true });
    expect(read.json).toEqual({
      settings: { channelAllowlist: true },
      channelDefaults: { respondTo: 'mentions', allowBots: false, enabled: true },
      channels: [put.json],
    });
    expect(otherTenant.status).toBe(403);
    expect(operatorReads.json).toEqual(read.json);
    expect(noScope.status).toBe(403);
    expect(unknownField.status).toBe(400);
    expect(removed.status).toBe(204);
    expect(removedAgain.status).toBe(404);
  });

  it('read the feedback votes stored from button presses', async () => {
    // Prepare
    const acme = await issueKey(app.api, app.adminKey, 'acme', ['admin']);
    await callApi(app.api, 'PUT', `/v1/slack/workspaces/${SAMPLE_WORKSPACE.teamId}`, app.adminKey, {
      tenant: 'acme',
    });
    const place = {
      channel: SAMPLE_WORKSPACE.channel,
      messageTs: '1700000000.000100',
      threadTs: '1700000000.000001',
    };
    await app.post(
      interactionRequest(app.signingSecret, feedbackPress(SAMPLE_WORKSPACE, place, 'up')),
    );
    await app.post(
      interactionRequest(app.signingSecret, feedbackPress(SAMPLE_WORKSPACE, place, 'down')),
    );

    // Act
    const votes = await callApi(app.api, 'GET', '/v1/slack/feedback', acme);
    const globex = await issueKey(app.api, app.adminKey, 'globex', ['admin']);
    const elsewhere = await callApi(app.api, 'GET', '/v1/slack/feedback', globex);

    // Assess: the second press replaced the first.
    expect(votes.json).toEqual({
      votes: [
        {
          teamId: SAMPLE_WORKSPACE.teamId,
          channel: place.channel,
          messageTs: place.messageTs,
          userId: SAMPLE_WORKSPACE.userId,
          vote: 'down',
          at: expect.any(String),
        },
      ],
      nextCursor: null,
    });
    expect(elsewhere.json).toEqual({ votes: [], nextCursor: null });
  });

  it("keeps every key the Slack path writes under the workspace's tenant, or on the global list", async () => {
    // Prepare
    await callApi(app.api, 'PUT', `/v1/slack/workspaces/${SAMPLE_WORKSPACE.teamId}`, app.adminKey, {
      tenant: 'acme',
    });
    const mention = sampleEvents.mention(SAMPLE_WORKSPACE, 'Where do the keys go?');

    // Act: a mention answered, a follow-up in its thread, a vote on the answer.
    await app.post(eventRequest(app.signingSecret, mention));
    await app.queue.idle();
    await app.post(
      eventRequest(
        app.signingSecret,
        sampleEvents.threadReply(SAMPLE_WORKSPACE, mention.event.ts, 'And then?'),
      ),
    );
    await app.queue.idle();
    await app.post(
      interactionRequest(
        app.signingSecret,
        feedbackPress(
          SAMPLE_WORKSPACE,
          {
            channel: SAMPLE_WORKSPACE.channel,
            messageTs: '1700000000.000300',
            threadTs: mention.event.ts,
          },
          'up',
        ),
      ),
    );

    // Assess
    const keys = await app.redis.allKeys();
    const unowned = keys.filter(
      (key) => !tenantOfKey(key) && !GLOBAL_KEYS.some(({ pattern }) => pattern.test(key)),
    );
    expect(unowned).toEqual([]);
    expect(keys).toContain('agent:_global:slack-workspaces');
    const acme = keys.filter((key) => tenantOfKey(key) === 'acme');
    for (const part of [
      ':slack:event:',
      ':slack:answer:',
      ':slack:thread:',
      ':slack:feedback',
      ':ratelimit:slack:',
    ]) {
      expect(
        acme.some((key) => key.includes(part)),
        part,
      ).toBe(true);
    }
  });
});
