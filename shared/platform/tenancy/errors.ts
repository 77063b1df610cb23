/**
 * A tenant id that breaks the rule reached key building. Input is validated before it gets
 * here, so this is a programmer error: a plain `Error`, answered as an opaque 500.
 */
export class TenancyError extends Error {
  constructor(tenant: string, options?: ErrorOptions) {
    super(`Not a tenant id: ${JSON.stringify(tenant)}.`, options);
    this.name = 'TenancyError';
  }
}
