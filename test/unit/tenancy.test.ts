import { describe, expect, it } from 'vitest';
import { isTenant, tenantKeys, tenantOfKey } from '#shared/platform/tenancy/index.ts';

describe('tenancy', () => {
  it('accepts 1-63 lowercase letters, digits or dashes, not starting with a dash', () => {
    expect(['a', 'acme-2', 'x'.repeat(63)].every(isTenant)).toBe(true);
    expect(['', '-a', 'A', 'a:b', 'a.b', 'x'.repeat(64)].some(isTenant)).toBe(false);
  });

  it('builds every key under agent:{tenant}: and reads the tenant back', () => {
    const keys = tenantKeys('acme');
    const built = [
      keys.apiKey('0123'),
      keys.apiKeys,
      keys.apiKeyExpiries,
      keys.usage,
      keys.promptSettings,
      keys.index('kb'),
      `agent:${keys.rateLimitIdentifier('key', 'k1')}`,
    ];
    expect(built.map(tenantOfKey)).toEqual(built.map(() => 'acme'));
    expect(tenantOfKey('other:acme:x')).toBeUndefined();
  });

  it('refuses to build keys for a string that is not a tenant id', () => {
    expect(() => tenantKeys('a:b')).toThrow(/Not a tenant id/);
  });
});
