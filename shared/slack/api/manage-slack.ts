import { ForbiddenError, targetTenant } from '../../auth/index.ts';
import { isOperator, type Principal } from '../../platform/principal/index.ts';
import type { Redis } from '../../platform/redis/index.ts';
import { SlackSettingNotFoundError } from '../errors.ts';
import { listVotes } from '../feedback/feedback-store.ts';
import {
  type ChannelSettings,
  channelSettingsSchema,
  deleteChannelSettings,
  putChannelSettings,
  putTenantSlackSettings,
  readSlackSettings,
  type TenantSlackSettings,
} from '../settings/channel-settings.ts';
import {
  deleteWorkspaceMapping,
  listWorkspaceMappings,
  putWorkspaceMapping,
} from '../settings/workspace-tenants.ts';

/**
 * What the Slack admin routes do. Mapping a workspace to a tenant decides whose knowledge
 * base and memory a workspace's people reach, so only the operator may; a tenant's admin
 * manages its own channels and reads its own feedback.
 */
export const manageSlack = {
  listWorkspaces: async (redis: Redis, caller: Principal) => {
    requireOperator(caller);
    return { workspaces: await listWorkspaceMappings(redis) };
  },

  putWorkspace: async (redis: Redis, caller: Principal, workspaceId: string, tenant: string) => {
    requireOperator(caller);
    return putWorkspaceMapping(redis, workspaceId, tenant);
  },

  deleteWorkspace: async (redis: Redis, caller: Principal, workspaceId: string) => {
    requireOperator(caller);
    if (!(await deleteWorkspaceMapping(redis, workspaceId))) {
      throw new SlackSettingNotFoundError(`mapping for workspace ${workspaceId}`);
    }
  },

  readSettings: async (redis: Redis, caller: Principal, tenant: string | undefined) => {
    const stored = await readSlackSettings(redis, targetTenant(caller, tenant));
    return {
      settings: stored.tenant,
      channelDefaults: channelSettingsSchema.parse({}),
      channels: stored.channels,
    };
  },

  putSettings: (
    redis: Redis,
    caller: Principal,
    tenant: string | undefined,
    settings: TenantSlackSettings,
  ) => putTenantSlackSettings(redis, targetTenant(caller, tenant), settings),

  putChannel: (
    redis: Redis,
    caller: Principal,
    target: { tenant: string | undefined; teamId: string; channelId: string },
    settings: ChannelSettings,
  ) =>
    putChannelSettings(
      redis,
      targetTenant(caller, target.tenant),
      target.teamId,
      target.channelId,
      settings,
    ),

  deleteChannel: async (
    redis: Redis,
    caller: Principal,
    target: { tenant: string | undefined; teamId: string; channelId: string },
  ) => {
    const removed = await deleteChannelSettings(
      redis,
      targetTenant(caller, target.tenant),
      target.teamId,
      target.channelId,
    );
    if (!removed) {
      throw new SlackSettingNotFoundError(`settings for channel ${target.channelId}`);
    }
  },

  listFeedback: (
    redis: Redis,
    caller: Principal,
    query: { tenant?: string | undefined; limit: number; cursor?: string | undefined },
  ) => listVotes(redis, targetTenant(caller, query.tenant), query),
};

/** Mapping a workspace decides whose data its people reach: the operator's call only. */
function requireOperator(caller: Principal): void {
  if (!isOperator(caller)) {
    throw new ForbiddenError(
      'admin',
      'Only the bootstrap admin key may map Slack workspaces to tenants.',
    );
  }
}
