import { type Command, Option } from 'commander';
import { contextOf } from '../context.ts';
import { withExamples } from '../help.ts';
import type { SearchHit } from '../http/types.ts';
import { integerIn } from '../options.ts';
import { formatWhere } from '../output/citations.ts';

/** `agent search "query"`. */
export function registerSearch(program: Command): void {
  withExamples(
    program
      .command('search')
      .description('Search the knowledge base')
      .argument('<query>', 'what to look for')
      .addOption(
        new Option('--mode <mode>', 'ranking')
          .choices(['hybrid', 'vector', 'lexical'])
          .default('hybrid'),
      )
      .option('--k <n>', 'how many results (1-50)', integerIn(1, 50), 5)
      .action(async (query: string, options: { mode: string; k: number }, command: Command) => {
        const { out, client } = contextOf(command);
        const response = await (await client()).json<{ results: SearchHit[] }>({
          method: 'POST',
          path: '/v1/search',
          body: { query, k: options.k, mode: options.mode },
          scope: 'documents:read',
        });
        out.result(response, () =>
          response.results.length === 0
            ? 'No results.'
            : response.results
                .map(
                  (hit, rank) =>
                    `${rank + 1}. ${formatWhere(hit)}  (score ${hit.score.toFixed(3)})\n   ${hit.snippet.replace(/\s+/g, ' ')}`,
                )
                .join('\n'),
        );
      }),
    [
      'agent search "home office stipend"',
      'agent search "PTO carry over" --mode lexical --k 10',
      'agent search "expenses" --json | jq ".results[0]"',
    ],
  );
}
