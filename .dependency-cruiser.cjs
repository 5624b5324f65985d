// Import rules for src/, run by `npm run lint` (and so by CI). The top folders of src/ form layers in the
// order of the data flow; a folder imports only folders below it, so folder-level imports are a DAG.
// Parsing goes through @swc/core: dependency-cruiser's TypeScript parser needs the `typescript` JS API,
// which TypeScript 7 no longer has.

/** Bottom to top. */
const LAYERS = [
  'util', // errors, seeded random, statistics primitives, YAML with positions, the prompt transcript layout
  'suites', // tasks and their loaders
  'sandbox', // running code answers
  'scoring', // grading answers (code through the sandbox)
  'providers', // model APIs, the simulated pool, cassettes
  'orchestrators', // coordinators: families, prompts, the orchestrator-as-member
  'plugins', // users' own orchestrator families, providers and scorers, added to the registries beside the built-ins
  'store', // what a run records (samples, trace events) and the SQLite run store
  'report', // reports and statistics read from stores
  'config', // the run config: composes the sections every layer below defines
  'runner', // executing samples: setup, calls, budget, retries, preflight, estimate
  'train', // training a coordinator head with runs
  'queue', // distributed runs (BullMQ)
  'k8s', // Kubernetes manifests for workers
  'view', // finding and comparing runs: the runs list and the local read-only web page, from stores read-only
  'cli', // commands
];

const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer}`,
  comment: `src/${layer} may import only folders below it: ${LAYERS.slice(0, i).join(', ') || '(none)'}`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${LAYERS.slice(i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-folder-cycle',
      comment: 'folders (at any depth) must not import each other in a cycle',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-module-cycle',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'orchestrators-use-provider-types-only',
      comment:
        'orchestrators see providers through their types (and the pool entry schema), never an implementation',
      severity: 'error',
      from: { path: '^src/orchestrators/' },
      to: {
        path: '^src/providers/',
        pathNot: '^src/providers/(types|agent-schema)\\.ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'src-outside-src',
      comment: 'src/ never imports tests, benches or scripts',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'only-known-folders',
      comment: 'every file of src/ lives in a layer listed in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/(${LAYERS.join('|')})/` },
      to: {},
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
  },
};
