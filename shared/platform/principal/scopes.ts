import * as z from 'zod';

/** What an API key may do. `admin` implies every other scope within its tenant. */
export const scopes = ['chat', 'documents:read', 'documents:write', 'admin'] as const;
export type Scope = (typeof scopes)[number];
export const scopeSchema = z.enum(scopes);
