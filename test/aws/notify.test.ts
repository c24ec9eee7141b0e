import { describe, expect, it } from 'vitest';
import { consoleUrlOf, copyCommandOf, reportReadyMessage } from '../../src/aws/notify.ts';

const LOCATION = { bucket: 'pmlens-artifacts-1a2b3c', region: 'eu-west-1' };
const RUN = {
  runId: 'drop-0123abcd',
  reportKeys: [
    'runs/drop-0123abcd/report/report.html',
    'runs/drop-0123abcd/report/report.md',
    'runs/drop-0123abcd/report/report.json',
    'runs/drop-0123abcd/report/digests.csv',
  ],
  documents: 12,
  failed: 1,
};

describe('the "report ready" message', () => {
  it('carries the S3 console link and the aws s3 cp command of the HTML report', () => {
    // Act
    const message = reportReadyMessage(LOCATION, RUN);

    // Assess
    expect(message.subject).toBe('postmortem-lens report drop-0123abcd ready');
    expect(message.consoleUrl).toBe(
      'https://console.aws.amazon.com/s3/object/pmlens-artifacts-1a2b3c?region=eu-west-1&bucketType=general&prefix=runs%2Fdrop-0123abcd%2Freport%2Freport.html',
    );
    expect(message.copyCommand).toBe(
      'aws s3 cp s3://pmlens-artifacts-1a2b3c/runs/drop-0123abcd/report/report.html . --region eu-west-1',
    );
    expect(message.body).toContain(message.consoleUrl);
    expect(message.body).toContain(message.copyCommand);
    expect(message.body).toContain('12 documents analysed, 1 failed');
    expect(message.body).toContain(
      'aws s3 cp s3://pmlens-artifacts-1a2b3c/runs/drop-0123abcd/report/ ./report --recursive --region eu-west-1',
    );
    for (const key of RUN.reportKeys) expect(message.body).toContain(`- ${key}`);
  });

  it('holds no presigned or otherwise credential-bearing link', () => {
    // Act
    const { body } = reportReadyMessage(LOCATION, RUN);

    // Assess
    expect(body).not.toMatch(/X-Amz-(Signature|Credential|Security-Token)|Expires=/i);
    const links = body.match(/https:\/\/\S+/g) ?? [];
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(new URL(link).hostname).toBe('console.aws.amazon.com');
  });

  it('adds the link of the IAM-authenticated download endpoint when the deployment has one', () => {
    const { body } = reportReadyMessage(
      { ...LOCATION, downloadEndpoint: 'https://abcdefgh.lambda-url.eu-west-1.on.aws/' },
      RUN,
    );
    expect(body).toContain(
      'https://abcdefgh.lambda-url.eu-west-1.on.aws/?key=runs%2Fdrop-0123abcd%2Freport%2Freport.html',
    );
  });

  it('says so when the run wrote no HTML report', () => {
    const message = reportReadyMessage(LOCATION, { ...RUN, reportKeys: ['runs/x/report/report.json'] });
    expect(message.consoleUrl).toBeNull();
    expect(message.copyCommand).toBeNull();
    expect(message.body).toContain('The run wrote no HTML report.');
  });

  it('quotes keys that a shell would split', () => {
    expect(copyCommandOf(LOCATION, "runs/a b/it's.html")).toBe(
      `aws s3 cp 's3://pmlens-artifacts-1a2b3c/runs/a b/it'\\''s.html' . --region eu-west-1`,
    );
    expect(consoleUrlOf(LOCATION, 'runs/a b/report.html')).toContain('prefix=runs%2Fa+b%2Freport.html');
  });
});
