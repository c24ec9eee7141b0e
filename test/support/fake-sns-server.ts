/** A local SNS endpoint that accepts Publish (AWS Query protocol) and keeps the messages. */
import { randomUUID } from 'node:crypto';
import http from 'node:http';

export interface PublishedMessage {
  topicArn: string;
  subject: string | null;
  message: string;
}

export class FakeSnsServer {
  readonly messages: PublishedMessage[] = [];
  private server?: http.Server;

  async start(): Promise<{ url: string; close(): Promise<void> }> {
    this.server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const form = new URLSearchParams(body);
        if (form.get('Action') !== 'Publish') {
          response.writeHead(400, { 'content-type': 'text/xml' });
          response.end(
            `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>unsupported ${form.get('Action') ?? 'action'}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
          );
          return;
        }
        this.messages.push({
          topicArn: form.get('TopicArn') ?? '',
          subject: form.get('Subject'),
          message: form.get('Message') ?? '',
        });
        response.writeHead(200, { 'content-type': 'text/xml' });
        response.end(
          `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
        );
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    return {
      url: `http://127.0.0.1:${address.port}`,
      close: () => new Promise<void>((resolve) => this.server?.close(() => resolve())),
    };
  }
}
