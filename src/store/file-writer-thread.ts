// The writer thread of a ThreadFileWriter (file-writer.ts): writes with an InlineFileWriter, in the
// order the requests arrive (a message is a batch of them), and answers a batch with one message
// holding each request's id (and the error, if that write failed).
import { parentPort } from 'node:worker_threads';
import { InlineFileWriter, type WriterReply, type WriterRequest } from './file-writer.ts';

const writer = new InlineFileWriter();
const port = parentPort;
if (port === null) throw new Error('file-writer-thread.ts runs only as a worker thread');

function carryOut(request: WriterRequest): WriterReply {
  try {
    if (request.kind === 'forget-folders') writer.forgetFoldersSync();
    else writer.writeSync(request.file as string, request.body as string | Uint8Array, request.atomic ?? false);
  } catch (error) {
    // What the CLI reads of a file-system error (code, syscall, path) crosses with the message.
    const { message, code, errno, syscall, path, dest } = error as NodeJS.ErrnoException & { dest?: string };
    return { id: request.id, error: { message, code, errno, syscall, path, dest } };
  }
  return { id: request.id };
}

port.on('message', (batch: WriterRequest[]) => {
  port.postMessage(batch.map(carryOut));
});
