// Entry of the writer thread of a ThreadFileWriter (file-writer.ts): registers tsx's loader in this
// thread (a worker does not inherit the hooks of bin/pmlens.js or vitest), then loads the thread.
import { register } from 'tsx/esm/api';

register();
await import('./file-writer-thread.ts');
