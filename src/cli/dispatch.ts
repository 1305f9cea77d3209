// Runs one command once it is chosen: its --help, its usage errors as one line and exit code 2.
// Apart from main.ts (the table of every command) so that a command bundled into a file of its
// own (see scripts/bundle-cli.js) brings only itself along, not every command's import().
import { EXIT } from './options.js';

export interface Command {
  usage: string;
  /** Work to start before the arguments are parsed and the rules loaded (a folder scan's workers). */
  prestart?(argv: string[]): void;
  run(argv: string[]): Promise<number>;
}

/** Loads command `name` and runs it with `rest`, the arguments after its name. */
export async function runCommand(name: string, rest: string[], load: () => Promise<Command>): Promise<number> {
  let command: Command;
  try {
    command = await load();
  } catch {
    process.stderr.write(`leaksweep: the "${name}" command is not available in this build\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return EXIT.clean;
  }
  command.prestart?.(rest);
  try {
    return await command.run(rest);
  } catch (err) {
    // Loaded here, not up front: it needs the whole scanner's error classes.
    const { isUsageProblem } = await import('./common.js');
    if (isUsageProblem(err) || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      // One line: a parser's message may quote the input, newlines included (JSON.parse does).
      process.stderr.write(`leaksweep ${name}: ${(err as Error).message.replace(/\s*[\r\n]+\s*/g, ' ')}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}
