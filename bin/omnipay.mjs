#!/usr/bin/env node
// `npx omnipay …`: the compiled CLI (dist/, written by `npm install` or `npm run build`), run in this
// very process — no second node, no TypeScript loader.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('omnipay: the CLI is not built (dist/ is missing): run `npm run build` (npm install does it)\n');
  process.exit(1);
}
await import(cli.href);
