import { PlatformError } from '../../platform/errors/base.ts';

export class DocumentNotFoundError extends PlatformError {
  readonly statusCode = 404;
  readonly code = 'document_not_found';

  constructor(id: string) {
    super(`No document with id "${id}" in this knowledge base.`);
    this.name = 'DocumentNotFoundError';
  }
}

export class ClearNotConfirmedError extends PlatformError {
  readonly statusCode = 400;
  readonly code = 'confirmation_required';

  constructor() {
    super("Clearing the knowledge base needs `?confirm=<tenant>` naming the caller's tenant.");
    this.name = 'ClearNotConfirmedError';
  }
}
