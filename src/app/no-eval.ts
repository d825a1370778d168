/**
 * The page's Content-Security-Policy forbids eval: zod must neither compile its validators with `new Function` nor
 * probe whether it may (the browser reports the probe as a policy violation even though zod catches it). Imported
 * first by main.tsx, before any module parses a config.
 */
import { z } from 'zod';

z.config({ jitless: true });
