// Entry of an offline engine worker thread (worker-pool.ts): registers tsx's loader in this thread
// (a worker does not inherit the hooks bin/pmlens.js or vitest installed), then loads the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
