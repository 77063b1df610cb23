import { Command } from 'commander';
import { registerAsk } from './commands/ask.ts';
import { registerChat } from './commands/chat.ts';
import { registerConversations } from './commands/conversations.ts';
import { registerDocs } from './commands/docs.ts';
import { registerIngest } from './commands/ingest.ts';
import { registerKeys } from './commands/keys.ts';
import { registerLogin } from './commands/login.ts';
import { registerPersona } from './commands/persona.ts';
import { registerSearch } from './commands/search.ts';
import { withExamples } from './help.ts';
import { integerIn } from './options.ts';
import { VERSION } from './version.ts';

/** The `agent` command and all its subcommands. */
export function buildProgram(argv: readonly string[] = []): Command {
  const program = new Command('agent')
    .description(
      'The agent platform from the terminal: chat, ingest documents, search, manage the persona and API keys.\n' +
        'Configured by AGENT_API_URL and AGENT_API_KEY (AGENT_USER_ID for chat), or a profile saved by agent login.',
    )
    .version(VERSION, '-V, --version')
    .option('--json', 'print results as JSON, for scripts')
    .option(
      '--profile <name>',
      'use this saved profile (default: AGENT_PROFILE, then the default one)',
    )
    .option('--api-url <url>', 'API URL, overriding AGENT_API_URL and the profile')
    .option(
      '--timeout <seconds>',
      'longest wait for the API to start answering before giving up (default: 150)',
      integerIn(1, 3600),
    )
    .option(
      '--max-wait <seconds>',
      'longest Retry-After to wait out when rate limited before giving up (default: 60)',
      integerIn(0, 3600),
    )
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  withExamples(program, [
    'agent login --url http://127.0.0.1:3000',
    'agent ingest handbook/',
    'agent ask "How many days of leave do I get?"',
    'agent chat',
  ]);
  registerLogin(program);
  registerAsk(program);
  registerChat(program);
  registerConversations(program);
  registerIngest(program);
  registerDocs(program);
  registerSearch(program);
  registerPersona(program);
  registerKeys(program);
  // With --json anywhere on the line, a usage error is JSON on stderr like every other
  // error, so a script reads one shape; commander's help text is left out then.
  const json = argv.includes('--json');
  const output = {
    outputError: (message: string, write: (text: string) => void) =>
      json
        ? write(
            `${JSON.stringify({ error: { code: 'usage', message: message.replace(/^error: /, '').trim(), status: null } })}\n`,
          )
        : write(message),
  };
  program.configureOutput(output);
  // Subcommands inherit the usage-error handling (exit code 2 instead of exiting).
  for (const command of allCommands(program)) {
    command
      .exitOverride()
      .configureOutput(output)
      .showHelpAfterError(json ? false : '(add --help for usage)');
  }
  if (json) program.showHelpAfterError(false);
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}
