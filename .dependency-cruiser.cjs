/**
 * The one floor ESLint cannot see, because it spans many files: the page must never load tfjs, not even through a
 * core module that imports it (training runs in the worker). Type-only imports vanish when compiled and are
 * allowed; this follows only what the browser would load.
 */
module.exports = {
  forbidden: [
    {
      name: 'page-never-loads-tfjs',
      comment: 'src/app reaches @tensorflow through its imports; move the tfjs code to the worker or core runners, or import types only',
      severity: 'error',
      from: { path: '^src/app/', pathNot: '(\\.test\\.tsx?|/test-support\\.ts)$' },
      to: { path: '^node_modules/@tensorflow/', reachable: true },
    },
  ],
  options: {
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.test\\.tsx?|/test-support\\.ts)$' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
