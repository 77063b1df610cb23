import type { Command } from 'commander';
import { contextOf } from '../context.ts';
import { UsageError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { segment } from '../http/client.ts';
import type { Conversation, ConversationSummary, Memory } from '../http/types.ts';
import { integerIn } from '../options.ts';
import { formatCitationsCompact } from '../output/citations.ts';
import { renderTable } from '../output/table.ts';
import { userOf } from '../user.ts';

/** `agent conversations ls|show|rm` and `agent memory show|forget`. */
export function registerConversations(program: Command): void {
  const conversations = program.command('conversations').description("A user's conversations");
  withExamples(conversations, [
    'agent conversations ls --user alice',
    'agent conversations show <id>',
  ]);

  withExamples(
    conversations
      .command('ls')
      .description('List conversations, newest first')
      .option('--user <id>', 'whose (default: AGENT_USER_ID or the profile)')
      .option('--limit <n>', 'at most this many (1-100)', integerIn(1, 100), 20)
      .option('--cursor <cursor>', 'the next page: the cursor the previous page printed')
      .action(
        async (options: { user?: string; limit: number; cursor?: string }, command: Command) => {
          const { out, client } = contextOf(command);
          const api = await client();
          const page = await api.json<{
            conversations: ConversationSummary[];
            nextCursor: string | null;
          }>({
            path: '/v1/conversations',
            query: {
              userId: userOf(options.user, api.connection),
              limit: options.limit,
              cursor: options.cursor,
            },
            scope: 'chat',
          });
          out.result(page, () => {
            if (page.conversations.length === 0) return 'No conversations.';
            const table = renderTable(
              ['ID', 'TITLE', 'TURNS', 'UPDATED'],
              page.conversations.map((c) => [c.id, c.title, c.turnCount, c.updatedAt]),
            );
            return page.nextCursor
              ? `${table}\nMore: agent conversations ls --cursor ${page.nextCursor}`
              : table;
          });
        },
      ),
    [
      'agent conversations ls --user alice',
      'agent conversations ls --limit 50 --cursor 1764650000000',
      'agent conversations ls --json',
    ],
  );

  withExamples(
    conversations
      .command('show')
      .description('Print a conversation, turn by turn, with citations')
      .argument('<id>', 'conversation id')
      .option('--user <id>', 'whose (default: AGENT_USER_ID or the profile)')
      .action(async (id: string, options: { user?: string }, command: Command) => {
        const { out, client } = contextOf(command);
        const api = await client();
        const conversation = await api.json<Conversation>({
          path: `/v1/conversations/${segment(id)}`,
          query: { userId: userOf(options.user, api.connection) },
          scope: 'chat',
        });
        out.result(conversation, () =>
          [
            `${conversation.title} (${conversation.id})`,
            ...conversation.turns.flatMap((turn) => [
              '',
              `you> ${turn.user.text}`,
              `agent> ${turn.assistant.text}`,
              ...(turn.assistant.citations.length > 0
                ? [formatCitationsCompact(turn.assistant.citations)]
                : []),
            ]),
          ].join('\n'),
        );
      }),
    ['agent conversations show 7d1c… --user alice'],
  );

  withExamples(
    conversations
      .command('rm')
      .description('Delete a conversation')
      .argument('<id>', 'conversation id')
      .option('--user <id>', 'whose (default: AGENT_USER_ID or the profile)')
      .action(async (id: string, options: { user?: string }, command: Command) => {
        const { out, client } = contextOf(command);
        const api = await client();
        await api.json({
          method: 'DELETE',
          path: `/v1/conversations/${segment(id)}`,
          query: { userId: userOf(options.user, api.connection) },
          scope: 'chat',
        });
        out.result({ deleted: id }, () => `Deleted conversation ${id}.`);
      }),
    ['agent conversations rm 7d1c… --user alice'],
  );

  const memory = program.command('memory').description('What is remembered about a user');
  withExamples(memory, ['agent memory show --user alice', 'agent memory forget --user alice']);

  withExamples(
    memory
      .command('show')
      .description("List a user's long-term memories")
      .option('--user <id>', 'whose (default: AGENT_USER_ID or the profile)')
      .option('--limit <n>', 'at most this many (1-1000)', integerIn(1, 1000), 100)
      .action(async (options: { user?: string; limit: number }, command: Command) => {
        const { out, client } = contextOf(command);
        const api = await client();
        const user = userOf(options.user, api.connection);
        if (!user)
          throw new UsageError('Give --user <id>, set AGENT_USER_ID, or agent login --user <id>.');
        const result = await api.json<{ userId: string; total: number; memories: Memory[] }>({
          path: `/v1/users/${segment(user)}/memory`,
          query: { limit: options.limit },
          scope: 'chat',
        });
        out.result(result, () =>
          result.memories.length === 0
            ? `No memories of ${result.userId}.`
            : `${renderTable(
                ['WHEN', 'CONVERSATION', 'TEXT'],
                result.memories.map((m) => [m.at, m.conversationId, m.text]),
              )}\n\n${result.memories.length} of ${result.total}, newest first.`,
        );
      }),
    ['agent memory show --user alice', 'agent memory show --json'],
  );

  withExamples(
    memory
      .command('forget')
      .description('Delete everything kept about a user: conversations and memories')
      .requiredOption('--user <id>', 'whose (named explicitly: this cannot be undone)')
      .action(async (options: { user: string }, command: Command) => {
        const { out, client } = contextOf(command);
        const result = await (await client()).json<{
          userId: string;
          conversations: number;
          memories: number;
        }>({
          method: 'DELETE',
          path: `/v1/users/${segment(options.user)}`,
          scope: 'chat',
        });
        out.result(
          result,
          () =>
            `Forgot ${result.userId}: ${result.conversations} conversations and ${result.memories} memories deleted.`,
        );
      }),
    ['agent memory forget --user alice'],
  );
}
