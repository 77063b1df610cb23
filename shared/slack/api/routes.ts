import * as z from 'zod';
import { noQuery } from '../../platform/http/common-schemas.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { tenantSchema } from '../../platform/tenancy/index.ts';
import { slackIdSchema, slackTsSchema } from '../ids.ts';
import { channelSettingsSchema, tenantSlackSettingsSchema } from '../settings/channel-settings.ts';

const otherTenant = tenantSchema
  .optional()
  .describe("Only the bootstrap admin key may act on another tenant; default: the caller's");

const workspaceIdParam = z
  .object({
    workspaceId: z
      .string()
      .regex(/^[TE][A-Z0-9]{1,39}$/, 'must be a workspace (T…) or Enterprise Grid org (E…) id'),
  })
  .strict();

const workspaceMappingSchema = z.object({
  workspaceId: z.string(),
  kind: z.enum(['team', 'enterprise']),
  tenant: z.string(),
});

export const listSlackWorkspacesRoute = defineRoute({
  operationId: 'listSlackWorkspaces',
  method: 'GET',
  path: '/v1/slack/workspaces',
  summary: 'List which tenant each Slack workspace or org belongs to (bootstrap admin key only)',
  tags: ['slack'],
  access: 'admin',
  query: noQuery,
  responses: {
    200: {
      description: 'Mappings',
      schema: z.object({ workspaces: z.array(workspaceMappingSchema) }),
    },
    403: { description: 'Not the bootstrap admin key' },
  },
});

export const putSlackWorkspaceRoute = defineRoute({
  operationId: 'putSlackWorkspace',
  method: 'PUT',
  path: '/v1/slack/workspaces/{workspaceId}',
  summary:
    'Map a Slack workspace (T…) or Enterprise Grid org (E…) to a tenant (bootstrap admin key only)',
  tags: ['slack'],
  access: 'admin',
  params: workspaceIdParam,
  query: noQuery,
  body: z.object({ tenant: tenantSchema }).strict(),
  maxBodyBytes: 1024,
  responses: {
    200: { description: 'The mapping', schema: workspaceMappingSchema },
    403: { description: 'Not the bootstrap admin key' },
  },
});

export const deleteSlackWorkspaceRoute = defineRoute({
  operationId: 'deleteSlackWorkspace',
  method: 'DELETE',
  path: '/v1/slack/workspaces/{workspaceId}',
  summary: 'Remove a workspace mapping; its events then go to SLACK_DEFAULT_TENANT, if set',
  tags: ['slack'],
  access: 'admin',
  params: workspaceIdParam,
  query: noQuery,
  responses: {
    204: { description: 'Removed' },
    403: { description: 'Not the bootstrap admin key' },
    404: { description: 'No such mapping' },
  },
});

const channelRecordSchema = channelSettingsSchema.extend({
  teamId: z.string(),
  channel: z.string(),
});

export const getSlackSettingsRoute = defineRoute({
  operationId: 'getSlackSettings',
  method: 'GET',
  path: '/v1/slack/settings',
  summary: "The tenant's Slack settings: the channel allowlist switch and every channel's settings",
  tags: ['slack'],
  access: 'admin',
  query: z.object({ tenant: otherTenant }).strict(),
  responses: {
    200: {
      description: 'Settings; channels not listed use the defaults',
      schema: z.object({
        settings: tenantSlackSettingsSchema,
        channelDefaults: channelSettingsSchema,
        channels: z.array(channelRecordSchema),
      }),
    },
  },
});

export const putSlackSettingsRoute = defineRoute({
  operationId: 'putSlackSettings',
  method: 'PUT',
  path: '/v1/slack/settings',
  summary: "Set the tenant's Slack settings (`channelAllowlist`: answer listed channels only)",
  tags: ['slack'],
  access: 'admin',
  query: z.object({ tenant: otherTenant }).strict(),
  body: tenantSlackSettingsSchema,
  maxBodyBytes: 1024,
  responses: { 200: { description: 'The settings', schema: tenantSlackSettingsSchema } },
});

const channelParams = z.object({ teamId: slackIdSchema, channelId: slackIdSchema }).strict();

export const putSlackChannelRoute = defineRoute({
  operationId: 'putSlackChannel',
  method: 'PUT',
  path: '/v1/slack/channels/{teamId}/{channelId}',
  summary:
    'Set how the bot behaves in one channel (mentions only or every message, bots, allowlist)',
  tags: ['slack'],
  access: 'admin',
  params: channelParams,
  query: z.object({ tenant: otherTenant }).strict(),
  body: channelSettingsSchema,
  maxBodyBytes: 1024,
  responses: { 200: { description: "The channel's settings", schema: channelRecordSchema } },
});

export const deleteSlackChannelRoute = defineRoute({
  operationId: 'deleteSlackChannel',
  method: 'DELETE',
  path: '/v1/slack/channels/{teamId}/{channelId}',
  summary: 'Put a channel back on the defaults (off the allowlist)',
  tags: ['slack'],
  access: 'admin',
  params: channelParams,
  query: z.object({ tenant: otherTenant }).strict(),
  responses: {
    204: { description: 'Removed' },
    404: { description: 'The channel had no settings' },
  },
});

const feedbackVoteSchema = z.object({
  teamId: z.string(),
  channel: z.string(),
  messageTs: slackTsSchema,
  userId: z.string(),
  vote: z.enum(['up', 'down']),
  at: z.string(),
});

export const listSlackFeedbackRoute = defineRoute({
  operationId: 'listSlackFeedback',
  method: 'GET',
  path: '/v1/slack/feedback',
  summary: '👍/👎 votes on answers in Slack, a page at a time',
  tags: ['slack'],
  access: 'admin',
  query: z
    .object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      cursor: z
        .string()
        .regex(/^\d{1,20}$/, 'must be a nextCursor')
        .optional(),
      tenant: otherTenant,
    })
    .strict(),
  responses: {
    200: {
      description: 'Votes (one per person and answer; a later press replaces an earlier one)',
      schema: z.object({ votes: z.array(feedbackVoteSchema), nextCursor: z.string().nullable() }),
    },
  },
});

/** The admin routes, in the order `/openapi.json` lists them. */
export const slackAdminRoutes = [
  listSlackWorkspacesRoute,
  putSlackWorkspaceRoute,
  deleteSlackWorkspaceRoute,
  getSlackSettingsRoute,
  putSlackSettingsRoute,
  putSlackChannelRoute,
  deleteSlackChannelRoute,
  listSlackFeedbackRoute,
] as const;
