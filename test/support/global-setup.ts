import { execFileSync } from 'node:child_process';
import { buildImage } from '../../src/infra/db/image.js';

/**
 * Compiles the current sources into dist/ (`npm run build`, about a second), since the tests that
 * spawn the assistant or the CLI run the compiled entry points as `npm start` and `npx omnipay` do;
 * and makes sure the migrated embedded-database image exists (the same one `npm install` prepares):
 * each test loads a copy (about 1.5 s) instead of running initdb (about 4 s).
 */
export default async function setup(): Promise<void> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: new URL('../../', import.meta.url), stdio: ['ignore', 'ignore', 'inherit'] });
  process.env.OMNIPAY_TEST_PGLITE_IMAGE = await buildImage();
}
