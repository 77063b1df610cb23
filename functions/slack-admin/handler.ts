import { apiHandler } from '#shared/app/handlers.ts';
import { implement } from '#shared/platform/http/route.ts';
import { manageSlack } from '#shared/slack/api/manage-slack.ts';
import {
  deleteSlackChannelRoute,
  deleteSlackWorkspaceRoute,
  getSlackSettingsRoute,
  listSlackFeedbackRoute,
  listSlackWorkspacesRoute,
  putSlackChannelRoute,
  putSlackSettingsRoute,
  putSlackWorkspaceRoute,
} from '#shared/slack/api/routes.ts';

/** `/v1/slack/...` (scope `admin`): workspace mappings, channel settings and feedback. */
export const handler = apiHandler([
  implement(listSlackWorkspacesRoute, async ({ services, principal }) => ({
    status: 200,
    body: await manageSlack.listWorkspaces(services.redis, principal),
  })),
  implement(putSlackWorkspaceRoute, async ({ services, principal, params, body }) => ({
    status: 200,
    body: await manageSlack.putWorkspace(
      services.redis,
      principal,
      params.workspaceId,
      body.tenant,
    ),
  })),
  implement(deleteSlackWorkspaceRoute, async ({ services, principal, params }) => {
    await manageSlack.deleteWorkspace(services.redis, principal, params.workspaceId);
    return { status: 204 };
  }),
  implement(getSlackSettingsRoute, async ({ services, principal, query }) => ({
    status: 200,
    body: await manageSlack.readSettings(services.redis, principal, query.tenant),
  })),
  implement(putSlackSettingsRoute, async ({ services, principal, query, body }) => ({
    status: 200,
    body: await manageSlack.putSettings(services.redis, principal, query.tenant, body),
  })),
  implement(putSlackChannelRoute, async ({ services, principal, params, query, body }) => ({
    status: 200,
    body: await manageSlack.putChannel(
      services.redis,
      principal,
      { ...params, tenant: query.tenant },
      body,
    ),
  })),
  implement(deleteSlackChannelRoute, async ({ services, principal, params, query }) => {
    await manageSlack.deleteChannel(services.redis, principal, { ...params, tenant: query.tenant });
    return { status: 204 };
  }),
  implement(listSlackFeedbackRoute, async ({ services, principal, query }) => ({
    status: 200,
    body: await manageSlack.listFeedback(services.redis, principal, query),
  })),
]);
