/**
 * Import rules checked by `pnpm lint` (dependency-cruiser). Paths are the resolved
 * files, so a workspace package (`@yiduan/api`) counts as its folder under services/.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        "Contexts and modules depend in one direction; where two would need each other, one reacts to the other's event.",
      severity: 'error',
      from: { path: '^(packages|services)/[^/]+/src/' },
      to: { circular: true },
    },
    {
      name: 'core-not-services',
      comment: 'packages/* are libraries: they never import a service.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^services/' },
    },
    {
      name: 'core-no-processes',
      comment:
        'packages/core is the domain: it spawns no process. ffmpeg/ffprobe live in packages/video-tools (issue #17), used by the API, the worker and the demo.',
      severity: 'error',
      from: { path: '^packages/core/src/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?child_process$' },
    },
    {
      name: 'services-no-kysely',
      comment:
        'SQL lives in packages/core; services call core functions (docs/design.md, convention 4). eslint checks the statements themselves.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/' },
      to: { path: 'node_modules/.*kysely/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(packages|services)/[^/]+/dist/|(^|/)\\.data/' },
    // type-only imports form cycles in the source as much as value imports do
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
