import * as z from 'zod';
import { hashReply, type Redis, redisCall } from '../../platform/redis/index.ts';
import { tenantKeys } from '../../platform/tenancy/index.ts';

/** How the bot behaves in one channel. Absent fields take the safe defaults below. */
export const channelSettingsSchema = z.strictObject({
  /** `mentions`: only when mentioned (and follow-ups in its threads); `all`: every message. */
  respondTo: z.enum(['mentions', 'all']).default('mentions'),
  /** Whether messages of other bots and apps are answered (never the bot's own). */
  allowBots: z.boolean().default(false),
  /** With the tenant's allowlist on, only channels with `enabled: true` are answered. */
  enabled: z.boolean().default(true),
});
export type ChannelSettings = z.output<typeof channelSettingsSchema>;

/** The tenant's Slack policy across channels. */
export const tenantSlackSettingsSchema = z.strictObject({
  /** On: only channels whose settings say `enabled: true` are answered (DMs always are). */
  channelAllowlist: z.boolean().default(false),
});
export type TenantSlackSettings = z.output<typeof tenantSlackSettingsSchema>;

/** The field of the tenant-wide settings in the channels hash; no channel field is `*`. */
const TENANT_FIELD = '*';
const channelField = (teamId: string, channel: string) => `${teamId}:${channel}`;

const DEFAULT_CHANNEL: ChannelSettings = channelSettingsSchema.parse({});
const DEFAULT_TENANT: TenantSlackSettings = tenantSlackSettingsSchema.parse({});

/** What the events function needs to decide about one message. */
export interface SettingsForChannel {
  channel: ChannelSettings;
  /** False when the tenant keeps an allowlist and this channel is not on it. */
  allowed: boolean;
}

/**
 * The fields the events function reads for a channel, to join its pipeline: one HMGET of
 * the channel's settings and the tenant's.
 */
export function channelSettingsRead(tenant: string, teamId: string, channel: string) {
  return {
    key: tenantKeys(tenant).slackChannels,
    fields: [channelField(teamId, channel), TENANT_FIELD] as const,
  };
}

/**
 * Turns the two stored values into settings; anything unreadable falls back to the
 * defaults, which answer only mentions and no bots.
 */
export function settingsForChannel(
  storedChannel: unknown,
  storedTenant: unknown,
  direct: boolean,
): SettingsForChannel {
  const channel = parseStored(channelSettingsSchema, storedChannel) ?? DEFAULT_CHANNEL;
  const tenant = parseStored(tenantSlackSettingsSchema, storedTenant) ?? DEFAULT_TENANT;
  const listed = storedChannel !== null && storedChannel !== undefined && channel.enabled;
  const allowed = direct || (tenant.channelAllowlist ? listed : channel.enabled);
  return { channel, allowed };
}

function parseStored<S extends z.ZodType>(schema: S, stored: unknown): z.output<S> | undefined {
  if (typeof stored !== 'string') return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** One channel's stored settings, as the admin routes show them. */
export interface ChannelSettingsRecord extends ChannelSettings {
  teamId: string;
  channel: string;
}

/** Sets one channel's settings within the tenant, replacing what it had. */
export async function putChannelSettings(
  redis: Redis,
  tenant: string,
  teamId: string,
  channel: string,
  settings: ChannelSettings,
): Promise<ChannelSettingsRecord> {
  await redisCall(() =>
    redis.hset(tenantKeys(tenant).slackChannels, {
      [channelField(teamId, channel)]: JSON.stringify(settings),
    }),
  );
  return { teamId, channel, ...settings };
}

/** Back to the defaults; false when the channel had no settings. */
export async function deleteChannelSettings(
  redis: Redis,
  tenant: string,
  teamId: string,
  channel: string,
): Promise<boolean> {
  const removed = await redisCall(() =>
    redis.hdel(tenantKeys(tenant).slackChannels, channelField(teamId, channel)),
  );
  return removed > 0;
}

/** The tenant's policy and every channel with settings of its own. */
export async function readSlackSettings(
  redis: Redis,
  tenant: string,
): Promise<{ tenant: TenantSlackSettings; channels: ChannelSettingsRecord[] }> {
  const all =
    hashReply(await redisCall(() => redis.hgetall(tenantKeys(tenant).slackChannels))) ?? {};
  const channels: ChannelSettingsRecord[] = [];
  for (const [field, value] of Object.entries(all)) {
    if (field === TENANT_FIELD) continue;
    const [teamId = '', channel = ''] = field.split(':', 2);
    const settings = parseStored(channelSettingsSchema, value);
    if (settings) channels.push({ teamId, channel, ...settings });
  }
  channels.sort((a, b) => `${a.teamId}:${a.channel}`.localeCompare(`${b.teamId}:${b.channel}`));
  return {
    tenant: parseStored(tenantSlackSettingsSchema, all[TENANT_FIELD]) ?? DEFAULT_TENANT,
    channels,
  };
}

/** Sets the tenant's policy across channels (the allowlist switch). */
export async function putTenantSlackSettings(
  redis: Redis,
  tenant: string,
  settings: TenantSlackSettings,
): Promise<TenantSlackSettings> {
  await redisCall(() =>
    redis.hset(tenantKeys(tenant).slackChannels, { [TENANT_FIELD]: JSON.stringify(settings) }),
  );
  return settings;
}
