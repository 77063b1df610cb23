import { type Command, Option } from 'commander';
import { contextOf } from '../context.ts';
import { withExamples } from '../help.ts';
import type { SearchHit } from '../http/types.ts';
import { integerIn, numberIn } from '../options.ts';
import { formatWhere } from '../output/citations.ts';

interface SearchOptions {
  mode: string;
  k: number;
  vectorWeight?: number;
}

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
      .option(
        '--vector-weight <w>',
        "hybrid: the vector ranking's share, 0 (lexical order) to 1 (vector order); default: the tenant's",
        numberIn(0, 1),
      )
      .action(async (query: string, options: SearchOptions, command: Command) => {
        const { out, client } = contextOf(command);
        const { k, mode, vectorWeight } = options;
        const response = await (await client()).json<{ results: SearchHit[] }>({
          method: 'POST',
          path: '/v1/search',
          body: { query, k, mode, ...(vectorWeight === undefined ? {} : { vectorWeight }) },
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
      'agent search "error E1042" --vector-weight 0.2',
      'agent search "expenses" --json | jq ".results[0]"',
    ],
  );
}
