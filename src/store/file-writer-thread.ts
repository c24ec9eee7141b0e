// The writer thread of a ThreadFileWriter (file-writer.ts): writes with an InlineFileWriter, in the
// order the messages arrive, and answers each with its id (and the error, if the write failed).
import { parentPort, workerData } from 'node:worker_threads';
import { InlineFileWriter, type WriterReply, type WriterRequest } from './file-writer.ts';

const writer = new InlineFileWriter();
const port = parentPort;
if (port === null) throw new Error('file-writer-thread.ts runs only as a worker thread');

port.on('message', (request: WriterRequest) => {
  let reply: WriterReply = { id: request.id };
  try {
    if (request.kind === 'forget-folders') writer.forgetFoldersSync();
    else writer.writeSync(request.file as string, request.body as string | Uint8Array, request.atomic ?? false);
  } catch (error) {
    // What the CLI reads of a file-system error (code, syscall, path) crosses with the message.
    const { message, code, errno, syscall, path, dest } = error as NodeJS.ErrnoException & { dest?: string };
    reply = { id: request.id, error: { message, code, errno, syscall, path, dest } };
  }
  port.postMessage(reply);
});
// Writes are done on the caller's thread until the flag is set; the message wakes those waiting in ready().
const { running } = workerData as { running: SharedArrayBuffer };
Atomics.store(new Int32Array(running), 0, 1);
port.postMessage('running');
