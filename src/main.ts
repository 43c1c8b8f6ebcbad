/**
 * Process entry (`node dist/main.js` in the image). Node's compile cache goes on before anything
 * else loads (NODE_COMPILE_CACHE, else a folder in the OS temp folder), so a restart loads Bolt and
 * the rest from cached code instead of compiling them again; serve.ts is the process itself.
 */
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('./serve.ts');
