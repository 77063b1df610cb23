import { hashReply, hmgetReply, type Redis, redisCall } from '../../platform/redis/index.ts';
import { globalKeys } from '../../platform/tenancy/index.ts';

/** Where a request comes from: its workspace, and its Enterprise Grid org if any. */
export interface SlackWorkspace {
  teamId: string | undefined;
  enterpriseId: string | undefined;
}

/** How a workspace found its tenant, for the log line; `none` gets no answer. */
export type TenantSource = 'team' | 'enterprise' | 'default' | 'none';

/** A workspace (`T…`) or a whole Enterprise Grid org (`E…`) mapped to a tenant. */
export interface WorkspaceMapping {
  workspaceId: string;
  kind: 'team' | 'enterprise';
  tenant: string;
}

const fieldOf = (workspaceId: string) =>
  `${workspaceId.startsWith('E') ? 'enterprise' : 'team'}:${workspaceId}`;

/**
 * The tenant a workspace belongs to: its own mapping, else its org's, else the default
 * tenant from the settings; none of them, no tenant. One Redis command.
 */
export async function resolveTenant(
  redis: Redis,
  workspace: SlackWorkspace,
  defaultTenant: string | undefined,
): Promise<{ tenant: string | undefined; source: TenantSource }> {
  // A missing id becomes a field no mapping can have, so one HMGET serves every case.
  const teamField = `team:${workspace.teamId ?? '-'}`;
  const enterpriseField = `enterprise:${workspace.enterpriseId ?? '-'}`;
  const reply = await redisCall(() =>
    redis.hmget(globalKeys.slackWorkspaces, teamField, enterpriseField),
  );
  const [byTeam, byEnterprise] = hmgetReply(reply, [teamField, enterpriseField]);
  if (byTeam) return { tenant: byTeam, source: 'team' };
  if (byEnterprise) return { tenant: byEnterprise, source: 'enterprise' };
  if (defaultTenant) return { tenant: defaultTenant, source: 'default' };
  return { tenant: undefined, source: 'none' };
}

/** Maps a workspace or org to a tenant, replacing an earlier mapping. */
export async function putWorkspaceMapping(
  redis: Redis,
  workspaceId: string,
  tenant: string,
): Promise<WorkspaceMapping> {
  await redisCall(() => redis.hset(globalKeys.slackWorkspaces, { [fieldOf(workspaceId)]: tenant }));
  return toMapping(fieldOf(workspaceId), tenant);
}

/** Removes a mapping; false when there was none. */
export async function deleteWorkspaceMapping(redis: Redis, workspaceId: string): Promise<boolean> {
  const removed = await redisCall(() =>
    redis.hdel(globalKeys.slackWorkspaces, fieldOf(workspaceId)),
  );
  return removed > 0;
}

/** Every mapping, sorted by workspace id; there is one per installed workspace, so few. */
export async function listWorkspaceMappings(redis: Redis): Promise<WorkspaceMapping[]> {
  const all = await redisCall(() => redis.hgetall(globalKeys.slackWorkspaces));
  return Object.entries(hashReply(all) ?? {})
    .map(([field, tenant]) => toMapping(field, tenant))
    .sort((a, b) => a.workspaceId.localeCompare(b.workspaceId));
}

function toMapping(field: string, tenant: string): WorkspaceMapping {
  const [kind, workspaceId = ''] = field.split(':', 2);
  return { workspaceId, kind: kind === 'enterprise' ? 'enterprise' : 'team', tenant };
}
