/**
 * A deterministic generator of synthetic postmortems for benchmarks: several formats, section
 * layouts, causal and trap technologies, and realistic lengths (roughly 400-900 words).
 */
export interface GeneratedFile {
  path: string;
  content: string;
}

const TECHNOLOGIES = [
  'PostgreSQL',
  'DynamoDB',
  'Redis',
  'S3',
  'Elasticsearch',
  'Kafka',
  'MySQL',
  'MongoDB',
  'Cassandra',
  'RabbitMQ',
];
const FAILURES = [
  'ran out of connections after the pool size was raised',
  'started throttling writes on a hot partition key',
  'hit its maxmemory limit and began evicting session keys',
  'returned 503 SlowDown errors under a burst of requests to one prefix',
  'went read-only when the disk crossed the flood-stage watermark',
  'churned through consumer group rebalances after a timeout change',
  'failed over to a replica that was several minutes behind',
];
const SERVICES = ['checkout', 'search', 'billing', 'notifications', 'reporting', 'login', 'inventory', 'payments'];
const FILLER = [
  'The on-call engineer acknowledged the page within four minutes and opened an incident channel.',
  'Dashboards showed p99 latency climbing from 120 ms to more than 4 seconds over ten minutes.',
  'Customer support received a spike of tickets about slow pages and failed requests.',
  'We paused all deploys for the duration of the incident as a precaution.',
  'The status page was updated at regular intervals until the incident was resolved.',
  'Error budgets for the quarter were consumed by roughly a third.',
];

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

interface Incident {
  title: string;
  date: string;
  summary: string;
  impact: string;
  rootCause: string;
  timeline: string[];
  resolution: string;
  actions: string[];
}

function incidentOf(index: number, next: () => number): Incident {
  const cause = pick(next, TECHNOLOGIES);
  const trap = pick(
    next,
    TECHNOLOGIES.filter((technology) => technology !== cause),
  );
  const service = pick(next, SERVICES);
  const failure = pick(next, FAILURES);
  const noCause = next() < 0.3;
  const filler = Array.from({ length: 6 }, () => pick(next, FILLER)).join(' ');
  const month = String(1 + Math.floor(next() * 12)).padStart(2, '0');
  return {
    title: `Incident ${index}: ${service} degraded`,
    date: `2025-${month}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`,
    summary: `For 47 minutes the ${service} service returned errors to about 12% of requests. ${filler}`,
    impact: `Roughly 3,400 customers saw failed requests and ${Math.floor(next() * 900)} orders were delayed. ${trap} was not affected and kept serving traffic normally.`,
    rootCause: noCause
      ? `A bad feature flag in the ${service} release enabled an unbounded retry loop, which exhausted the worker pool. ${filler}`
      : `The root cause was that ${cause} ${failure}. Because the ${service} service had no backoff, retries amplified the load. ${filler}`,
    timeline: [
      '09:02 alert fired for elevated error rate',
      '09:06 on-call acknowledged',
      `09:15 identified the ${service} error pattern`,
      '09:49 mitigation applied and errors returned to baseline',
    ],
    resolution: `We rolled back the change, restarted the affected workers and watched the error rate return to normal. ${filler}`,
    actions: [
      `Add an alert on ${trap} replication lag to the dashboard`,
      'Add jittered exponential backoff to the client',
      'Load-test the service at twice peak traffic',
    ],
  };
}

function markdown(incident: Incident): string {
  return [
    '---',
    `title: "${incident.title}"`,
    `date: ${incident.date}`,
    'severity: SEV2',
    '---',
    '',
    '## Summary',
    incident.summary,
    '## Impact',
    incident.impact,
    '## Timeline',
    ...incident.timeline.map((line) => `- ${line}`),
    '## Root Cause',
    incident.rootCause,
    '## Resolution',
    incident.resolution,
    '## Action Items',
    ...incident.actions.map((line) => `- [ ] ${line}`),
  ].join('\n\n');
}

function text(incident: Incident): string {
  return [
    incident.title,
    `date ${incident.date}`,
    '',
    'WHAT HAPPENED',
    incident.summary,
    '',
    'ROOT CAUSE',
    incident.rootCause,
    '',
    'IMPACT',
    incident.impact,
    '',
    'FOLLOW-UPS',
    ...incident.actions.map((line) => `* ${line}`),
  ].join('\n');
}

function escape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function html(incident: Incident): string {
  return `<!doctype html><html><head><title>${escape(incident.title)}</title></head><body><h1>${escape(incident.title)}</h1>
<h2>Summary</h2><p>${escape(incident.summary)}</p><h2>Impact</h2><p>${escape(incident.impact)}</p>
<h2>Timeline</h2><table>${incident.timeline.map((line) => `<tr><td>${escape(line)}</td></tr>`).join('')}</table>
<h2>Root cause</h2><p>${escape(incident.rootCause)}</p><h2>Resolution</h2><p>${escape(incident.resolution)}</p>
<h2>Action items</h2><ul>${incident.actions.map((line) => `<li>${escape(line)}</li>`).join('')}</ul></body></html>`;
}

function json(incident: Incident): string {
  return JSON.stringify(
    {
      title: incident.title,
      date: incident.date,
      severity: 'SEV3',
      summary: incident.summary,
      root_cause: incident.rootCause,
      impact: incident.impact,
      resolution: incident.resolution,
      action_items: incident.actions,
    },
    null,
    2,
  );
}

const FORMATS = [
  ['md', markdown],
  ['txt', text],
  ['html', html],
  ['json', json],
] as const;

export function generateCorpus(count: number, seed = 42): GeneratedFile[] {
  const next = random(seed);
  return Array.from({ length: count }, (_unused, index) => {
    const [extension, render] = FORMATS[index % FORMATS.length] ?? FORMATS[0];
    return {
      path: `team-${index % 10}/incident-${String(index).padStart(5, '0')}.${extension}`,
      content: render(incidentOf(index, next)),
    };
  });
}
