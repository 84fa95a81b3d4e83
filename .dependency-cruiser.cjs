/**
 * The project's layers and which way they may depend (checked in `npm test` by
 * test/architecture/dependencies.test.ts, also runnable as `npx depcruise src flows`).
 *
 *   flows, src/domain          pure: no I/O, nothing from src/ above them
 *   src/lib, src/config        small shared pieces (clock, ids, logger, loop; configuration)
 *   src/infra, src/i18n        database, store, HTTP server, control socket; catalogues
 *   src/services               the domain services (never the app, channels, engine or CLI)
 *   src/engine                 conversation turns (never services, app or channels)
 *   src/channels               talk to the engine and the ports the app gives them
 *   src/webhooks               HTTP adapters that call services
 *   src/app                    the composition root: wires everything, registers runners
 *   src/cli                    operator commands (the test kit only through a dynamic import)
 *   src/testkit                conversation-script runner, drivers, fakes: never loaded by the assistant
 */
const layer = (name, comment, from, toAny) => ({ name, comment, severity: 'error', from: { path: from }, to: { path: toAny } });

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'Modules must not import each other in a circle (type-only imports count: they tie the designs together too).', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'flows-are-pure',
      comment: 'flows/ holds the conversation machines and does no I/O: it may import flows/, src/domain/ and xstate only; side effects are named actors that src/ provides.',
      severity: 'error',
      from: { path: '^flows/' },
      to: { pathNot: ['^flows/', '^src/domain/', '(^|/)node_modules/xstate/'] },
    },
    {
      name: 'domain-is-pure',
      comment: 'src/domain/ is pure logic (money, currencies, PIN rules): it imports only itself and luxon.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', '(^|/)node_modules/luxon/'] },
    },
    layer('lib-is-low', 'src/lib/ sits under everything: it imports nothing from src/ but itself.', '^src/lib/', '^(src/(?!lib/)|flows/)'),
    layer('config-is-low', 'src/config/ may import src/lib and src/domain only.', '^src/config/', '^src/(?!config/|lib/|domain/)'),
    layer('infra-below-services', 'src/infra/ (database, store, HTTP server, control socket) does not know services, the engine, channels or the app.', '^src/infra/', '^src/(app|services|engine|channels|webhooks|cli|testkit)/'),
    layer('i18n-is-low', 'src/i18n/ renders catalogues and needs nothing above src/lib.', '^src/i18n/', '^src/(app|services|engine|channels|webhooks|cli|testkit|infra)/'),
    layer('services-never-import-up', 'Services never import the app, the engine, channels, webhooks, the CLI or the test kit: their dependencies type lives with them, and the composition root registers runners and routes.', '^src/services/', '^src/(app|engine|channels|webhooks|cli|testkit)/'),
    layer('engine-knows-no-services', 'The engine runs turns of the root machine it is given; it never imports services, channels or the app.', '^src/engine/', '^src/(app|services|channels|webhooks|cli|testkit)/'),
    layer('channels-use-ports', 'Channels talk to the engine and to the ports the app gives them (src/channels/ports.ts), never to services, the database or the app.', '^src/channels/', '^src/(app|services|webhooks|cli|testkit|infra/db|infra/store/(?!store\\.ts))'),
    layer('webhooks-call-services', 'HTTP adapters call services; they do not reach the app, channels or the engine.', '^src/webhooks/', '^src/(app|channels|engine|cli|testkit)/'),
    layer('app-is-not-cli', 'The composition root never loads the CLI or the test kit.', '^src/app/', '^src/(cli|testkit)/'),
    {
      name: 'testkit-stays-out',
      comment: 'The test kit (script runner, drivers, fake Bot API) is never loaded by the assistant; only the converse command loads it, on demand (a dynamic import).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/testkit/', '^src/cli/converse\\.ts$'] },
      to: { path: '^src/testkit/' },
    },
    {
      name: 'testkit-only-on-demand',
      comment: 'The converse command loads the test kit with a dynamic import, so the rest of the CLI starts without it.',
      severity: 'error',
      from: { path: '^src/cli/converse\\.ts$' },
      to: { path: '^src/testkit/', dependencyTypesNot: ['dynamic-import'] },
    },
    layer('src-not-tests', 'Nothing the product runs imports tests, benchmarks or scripts.', '^(src|flows)/', '^(test|bench|scripts)/'),
    {
      name: 'no-unresolvable',
      comment: 'Every import resolves (a typo or a missing dependency fails here, not in production).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'] },
    skipAnalysisNotInRules: true,
  },
};
