import { streamingApiHandler } from '#shared/app/handlers.ts';
import { chatRoute } from '#shared/chat/routes/chat.ts';
import { serveChat } from '#shared/chat/routes/serve-chat.ts';
import { implement } from '#shared/platform/http/route.ts';

/** POST /v1/chat (scope `chat`): one turn, as JSON or streamed as server-sent events. */
export const handler = streamingApiHandler([implement(chatRoute, serveChat)]);
