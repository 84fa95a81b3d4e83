import { Option } from 'commander';
import { CliError } from './io.js';
import { registerCommands } from './program.js';

registerCommands((program, ctx) => {
  program
    .command('converse')
    .description('run conversation scripts (YAML) and report each; exits non-zero when any fails')
    .argument('<files...>', 'script files or folders of scripts')
    .addOption(new Option('--channel <channel>', 'channel to run on').choices(['inprocess', 'console', 'telegram']).default('inprocess'))
    .option('--junit <file>', 'also write a JUnit XML report to this file')
    .option('--name <name>', 'run only the script with this name')
    .option('--json', 'machine-readable output')
    .action(async (files: string[], o: { channel: 'inprocess' | 'console' | 'telegram'; junit?: string; name?: string; json?: boolean }) => {
      // The test kit (script runner, fake Bot API) is never part of a running assistant.
      if (process.env.NODE_ENV === 'production') throw new CliError('converse is a test tool and is refused when NODE_ENV=production');
      const { converseCommand } = await import('../testkit/cli.js').catch((err: Error & { code?: string }) => {
        // The image ships without the test kit.
        if (err.code === 'ERR_MODULE_NOT_FOUND' && err.message.includes('testkit')) throw new CliError('converse is a test tool and is not installed here (no test kit in this build)');
        throw err;
      });
      try {
        await converseCommand(files, o, (s) => ctx.io.out(s));
      } catch (err) {
        throw new CliError((err as Error).message.split('\n')[0]!);
      }
    });
});
