/**
 * The page's entry. Its Content-Security-Policy forbids eval, and zod decides whether to compile a validator with
 * `new Function` (probing first, which the browser reports as a policy violation even though zod catches it) when
 * the schema is constructed, which happens as the modules that define schemas are evaluated. Every static import
 * of a module is evaluated before its body, however the bundle is split into chunks, so the setting is made here
 * before anything else is imported, and the app is imported after it.
 */
(globalThis as { __zod_globalConfig?: Record<string, unknown> }).__zod_globalConfig = { jitless: true };
void import('./main');
