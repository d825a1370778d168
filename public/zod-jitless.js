// Runs before the app's modules (a classic script ahead of the module entry in index.html). The page's
// Content-Security-Policy forbids eval, and zod decides whether to compile a validator with `new Function`
// (probing first, which the browser reports as a policy violation even though zod catches it) when a schema is
// constructed, as the modules that define schemas are evaluated: in whichever order the bundle's chunks run,
// this setting is already there.
globalThis.__zod_globalConfig = { jitless: true };
