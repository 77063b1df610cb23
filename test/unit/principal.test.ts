import { describe, expect, it } from 'vitest';
import {
  hasScope,
  isOperator,
  keyIdOf,
  mayActOn,
  type Principal,
  tenantOf,
} from '#shared/platform/principal/index.ts';

const reader: Principal = {
  kind: 'api-key',
  tenant: 'acme',
  keyId: 'k1',
  scopes: ['documents:read'],
};
const admin: Principal = { kind: 'api-key', tenant: 'acme', keyId: 'k2', scopes: ['admin'] };
const operator: Principal = { kind: 'operator', tenant: 'default' };
const slack: Principal = { kind: 'slack', tenant: 'acme', teamId: 'T1', userId: 'U1' };

describe('principals', () => {
  it('grants a key its scopes, and admin every scope', () => {
    expect(hasScope(reader, 'documents:read')).toBe(true);
    expect(hasScope(reader, 'documents:write')).toBe(false);
    expect(hasScope(admin, 'documents:write')).toBe(true);
  });

  it('lets only the operator act on another tenant', () => {
    expect(mayActOn(admin, 'acme')).toBe(true);
    expect(mayActOn(admin, 'other')).toBe(false);
    expect(mayActOn(operator, 'other')).toBe(true);
    expect([reader, operator, slack].map(isOperator)).toEqual([false, true, false]);
  });

  it('gives a Slack actor chat and nothing else', () => {
    expect(hasScope(slack, 'chat')).toBe(true);
    expect(hasScope(slack, 'documents:read')).toBe(false);
    expect(tenantOf(slack)).toBe('acme');
  });

  it('logs the operator under the bootstrap key id, as before principals had kinds', () => {
    expect([reader, operator, slack].map(keyIdOf)).toEqual(['k1', 'bootstrap', undefined]);
  });
});
