/**
 * A generated corpus of postmortem passages with planted personal data and secrets: at least
 * `perCategory` values of every category, each embedded in a realistic sentence (timelines,
 * headers, action items, chat excerpts), mixed with catalog technology names. Deterministic
 * (seeded), so figures are reproducible.
 */
import type { Category } from '../../src/privacy/index.ts';

export interface Plant {
  category: Category;
  /** The exact text that must not survive redaction. */
  value: string;
}

export interface PlantedDocument {
  text: string;
  plants: Plant[];
}

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Jane',
  'John',
  'Priya',
  'Kenji',
  'Amara',
  'Luis',
  'Siobhán',
  'Wei',
  'Olga',
  'Tomás',
  'Fatima',
  'Mateo',
  'Aisha',
  'Noah',
  'Chloé',
  'Dmitri',
  'Ngozi',
  'Hiroshi',
  'Ingrid',
  'Rahul',
  'Zoë',
  'Mary-Jane',
  'Björn',
  'Léa',
  'Yusuf',
  'Camila',
  'Anders',
  'Mei',
  'Kwame',
  'Sofía',
  'Oluwaseun',
  'Pieter',
  'Ayşe',
  'Gabriel',
  'Hannah',
  'Arjun',
  'Elena',
  'Jakub',
  'Thandiwe',
  'Marcus',
];
const LAST = [
  'Doe',
  'Smith',
  'Raman',
  'Watanabe',
  'Okafor',
  'García-Pérez',
  "O'Brien",
  'Zhang',
  'Ivanova',
  'Novák',
  'Haddad',
  'Rossi',
  'Khan',
  'Müller',
  'Dubois',
  'Petrov',
  'Adeyemi',
  'Tanaka',
  'Larsen',
  'Iyer',
  'McDonald',
  'Nguyen',
  'Lindqvist',
  'Moreau',
  'Yılmaz',
  'Silva',
  'Johansson',
  'Chen',
  'Mensah',
  'Fernández',
  'van der Berg',
  'de la Cruz',
  'Kowalski',
  'Ndlovu',
  'Schneider',
  'Patel',
  'Popescu',
  'Svoboda',
  'Okoye',
  'Fitzgerald',
];
const DOMAINS = ['example.com', 'corp.example.org', 'mail.example.net', 'payments.example.io', 'example.co.uk'];
const TECH = [
  'PostgreSQL',
  'Redis',
  'Kafka',
  'DynamoDB',
  'Elasticsearch',
  'S3',
  'MySQL',
  'Memcached',
  'PgBouncer',
  'ElastiCache',
];
const HEX = '0123456789abcdef';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function generatePlantedCorpus(perCategory: number, seed = 20240314): PlantedDocument[] {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const int = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
  const chars = (alphabet: string, length: number): string =>
    Array.from({ length }, () => pick([...alphabet])).join('');
  const tech = (): string => pick(TECH);
  const time = (): string => `${String(int(0, 23)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}`;
  const person = (): string => `${pick(FIRST)} ${pick(LAST)}`;

  const luhnDigit = (partial: string): string => {
    for (let check = 0; check <= 9; check++) {
      const digits = `${partial}${check}`;
      let sum = 0;
      for (let index = 0; index < digits.length; index++) {
        let digit = Number(digits[digits.length - 1 - index]);
        if (index % 2 === 1) {
          digit *= 2;
          if (digit > 9) digit -= 9;
        }
        sum += digit;
      }
      if (sum % 10 === 0) return String(check);
    }
    return '0';
  };
  const card = (): string => {
    const kind = int(0, 2);
    if (kind === 2) {
      const partial = `3${pick(['4', '7'])}${chars('0123456789', 12)}`;
      const digits = partial + luhnDigit(partial);
      return `${digits.slice(0, 4)} ${digits.slice(4, 10)} ${digits.slice(10)}`;
    }
    const partial = `${kind === 0 ? '4' : `5${int(1, 5)}`}${chars('0123456789', kind === 0 ? 14 : 13)}`;
    const digits = partial + luhnDigit(partial);
    const separator = pick([' ', '-', '']);
    return separator === '' ? digits : (digits.match(/.{4}/g) ?? []).join(separator);
  };
  const phone = (): string =>
    pick([
      () => `+1 ${int(201, 989)} ${int(200, 989)} ${String(int(0, 9999)).padStart(4, '0')}`,
      () => `(${int(201, 989)}) ${int(200, 989)}-${String(int(0, 9999)).padStart(4, '0')}`,
      () => `${int(201, 989)}-${int(200, 989)}-${String(int(0, 9999)).padStart(4, '0')}`,
      () => `+44 20 ${int(7000, 8999)} ${String(int(0, 9999)).padStart(4, '0')}`,
      () => `+49 30 ${int(1000000, 99999999)}`,
      () => `+33 1 ${int(10, 99)} ${int(10, 99)} ${int(10, 99)} ${int(10, 99)}`,
      () => `+91 ${int(70000, 99999)} ${int(10000, 99999)}`,
      () => `${int(201, 989)}.${int(200, 989)}.${String(int(0, 9999)).padStart(4, '0')}`,
      () => `+61 4${int(10, 99)} ${int(100, 999)} ${int(100, 999)}`,
    ])();
  const ip = (): string =>
    random() < 0.75
      ? `${pick([10, 172, 192, int(11, 223)])}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`
      : random() < 0.5
        ? Array.from({ length: 8 }, () => chars(HEX, int(1, 4))).join(':')
        : `2001:db8:${chars(HEX, 4)}::${chars(HEX, int(1, 4))}:${chars(HEX, 4)}`;
  const awsKey = (): string => `${pick(['AKIA', 'ASIA'])}${chars(UPPER_DIGITS, 16)}`;
  const awsSecret = (): string => {
    for (;;) {
      const value = chars(SECRET_ALPHABET, 40);
      if (/[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value)) return value;
    }
  };
  const token = (): { value: string; sentence: (value: string) => string } =>
    pick([
      () => ({
        value: `eyJ${chars(ALNUM, 20)}.${chars(ALNUM, 40)}.${chars(ALNUM, 30)}`,
        sentence: (value: string) =>
          `The replayed request carried Authorization: Bearer ${value} from the ${tech()} consumer.`,
      }),
      () => ({
        value: `sk-proj-${chars(ALNUM, 32)}`,
        sentence: (value: string) => `A build log printed OPENAI_API_KEY=${value} while the ${tech()} migration ran.`,
      }),
      () => ({
        value: `ghp_${chars(ALNUM, 36)}`,
        sentence: (value: string) => `The deploy script used the token ${value} to clone the ${tech()} charts.`,
      }),
      () => ({
        value: `xoxb-${int(100000, 999999)}-${chars(ALNUM, 24)}`,
        sentence: (value: string) =>
          `The alert bot token ${value} was pasted in #incident while ${tech()} was degraded.`,
      }),
      () => ({
        value: chars(ALNUM, 32),
        sentence: (value: string) => `The healthcheck called the status API with api_key=${value} against ${tech()}.`,
      }),
      () => ({
        value: chars(ALNUM, 28),
        sentence: (value: string) => `curl -H "X-Api-Key: ${value}" showed the ${tech()} proxy rejecting requests.`,
      }),
      () => ({
        value: `${chars(ALNUM, 24)}`,
        sentence: (value: string) =>
          `The service authenticated with Bearer ${value} and the ${tech()} gateway accepted it.`,
      }),
      () => ({
        value: `sk_live_${chars(ALNUM, 24)}`,
        sentence: (value: string) => `A Stripe key ${value} appeared in the ${tech()} slow query log.`,
      }),
    ])();
  const credentials = (): { value: string; sentence: (value: string) => string } => {
    const user = pick(['app', 'svc_orders', 'admin', 'replicator', 'etl', 'readonly']);
    const password = chars(ALNUM, int(8, 16));
    const scheme = pick(['postgres', 'mysql', 'redis', 'amqp', 'https', 'mongodb']);
    const value = `${user}:${password}`;
    return {
      value,
      sentence: (planted) =>
        `The failing job connected to ${scheme}://${planted}@db-${int(1, 9)}.internal:${int(3000, 9999)}/orders while ${tech()} was saturated.`,
    };
  };

  const templates: Record<Category, Array<() => { values: string[]; text: (values: string[]) => string }>> = {
    EMAIL: [
      () => {
        const name = `${pick(FIRST)
          .toLowerCase()
          .replace(/[^a-z]/g, '')}.${pick(LAST)
          .toLowerCase()
          .replace(/[^a-z]/g, '')}`;
        return {
          values: [`${name}@${pick(DOMAINS)}`],
          text: ([v]) => `${time()} Customer ${v} reported failed checkouts while ${tech()} latency climbed.`,
        };
      },
      () => ({
        values: [`oncall+${int(1, 99)}@${pick(DOMAINS)}`],
        text: ([v]) => `Alerts for ${tech()} were routed to ${v}, which nobody watched.`,
      }),
      () => ({
        values: [`${chars('abcdefghij', 5)}${int(1, 999)}@${pick(DOMAINS)}`],
        text: ([v]) => `The support ticket from <${v}> was the first signal of the ${tech()} outage.`,
      }),
    ],
    PHONE: [
      () => ({
        values: [phone()],
        text: ([v]) => `${time()} The bridge line ${v} was opened and the ${tech()} owner joined.`,
      }),
      () => ({
        values: [phone()],
        text: ([v]) => `Escalation: call the secondary at ${v} if ${tech()} is not back within 15 minutes.`,
      }),
      () => ({
        values: [phone()],
        text: ([v]) => `The customer (tel. ${v}) could not pay while ${tech()} was failing over.`,
      }),
    ],
    IP: [
      () => ({
        values: [ip()],
        text: ([v]) => `${time()} Connections from ${v} exhausted the ${tech()} connection pool.`,
      }),
      () => ({ values: [ip()], text: ([v]) => `The primary ${tech()} node (${v}) stopped answering health checks.` }),
      () => ({
        values: [ip()],
        text: ([v]) => `A scraper at ${v} sent 40,000 requests per minute to the ${tech()}-backed search page.`,
      }),
    ],
    'AWS-KEY': [
      () => ({
        values: [awsKey()],
        text: ([v]) => `The leaked access key ${v} was used to list the ${tech()} backups.`,
      }),
      () => ({
        values: [awsKey()],
        text: ([v]) => `aws_access_key_id = ${v} was committed together with the ${tech()} settings.`,
      }),
    ],
    'AWS-SECRET': [
      () => ({
        values: [awsSecret()],
        text: ([v]) => `The secret key ${v} sat in the ${tech()} job's environment file.`,
      }),
      () => ({
        values: [awsSecret()],
        text: ([v]) => `aws_secret_access_key = ${v} was found in the ${tech()} runbook.`,
      }),
    ],
    TOKEN: [
      () => {
        const planted = token();
        return { values: [planted.value], text: ([v]) => planted.sentence(v ?? '') };
      },
    ],
    CARD: [
      () => ({
        values: [card()],
        text: ([v]) => `${time()} A retried payment with card ${v} was charged twice when ${tech()} timed out.`,
      }),
      () => ({
        values: [card()],
        text: ([v]) => `Logs of the ${tech()} consumer contained the full PAN ${v} in plain text.`,
      }),
    ],
    CREDENTIALS: [
      () => {
        const planted = credentials();
        return { values: [planted.value], text: ([v]) => planted.sentence(v ?? '') };
      },
    ],
    PERSON: [
      () => ({ values: [person()], text: ([v]) => `On-call: ${v}` }),
      () => ({ values: [person(), person()], text: ([a, b]) => `**Incident commander:** ${a}\n**Scribe:** ${b}` }),
      () => ({ values: [person(), person(), person()], text: ([a, b, c]) => `Attendees: ${a}, ${b} and ${c}` }),
      () => ({ values: [person(), person()], text: ([a, b]) => `## Authors\n\n- ${a}\n- ${b}` }),
      () => ({
        values: [person()],
        text: ([v]) => `${time()} ${v} (on-call) acknowledged the page for ${tech()} replication lag.`,
      }),
      () => ({
        values: [person()],
        text: ([v]) => `${time()} Escalated to ${v}, who failed ${tech()} over to the replica.`,
      }),
      () => ({ values: [person()], text: ([v]) => `This postmortem was reviewed by ${v} on the following Tuesday.` }),
      () => ({
        values: [person()],
        text: ([v]) => `The incident commander, ${v}, declared SEV1 when ${tech()} stopped accepting writes.`,
      }),
      () => ({ values: [person()], text: ([v]) => `Thanks,\n${v}` }),
      () => ({ values: [person()], text: ([v]) => `— ${v}` }),
      () => ({ values: [person()], text: ([v]) => `Signed off by: ${v}` }),
      () => ({ values: [person()], text: ([v]) => `author: ${v}` }),
      () => {
        const handle = `@${pick(FIRST)
          .toLowerCase()
          .replace(/[^a-z]/g, '')}.${pick(LAST)
          .toLowerCase()
          .replace(/[^a-z]/g, '')
          .slice(0, 6)}`;
        return { values: [handle], text: ([v]) => `${time()} ${v}: restarting the ${tech()} primary now` };
      },
      () => ({ values: [person()], text: ([v]) => `${time()} Paged ${v} because ${tech()} disk usage crossed 95%.` }),
      () => ({ values: [person()], text: ([v]) => `Approved by ${v} (VP Engineering).` }),
    ],
  };

  const documents: PlantedDocument[] = [];
  const counts = new Map<Category, number>();
  const categories = Object.keys(templates) as Category[];
  const filler = [
    `## Timeline (UTC)`,
    `Root cause: the ${'PostgreSQL'} autovacuum fell behind and transaction ID wraparound protection stopped writes.`,
    `Impact: 38% of checkout requests failed for 47 minutes.`,
    `Action items: add an alert on ${'Redis'} maxmemory and rehearse the ${'Kafka'} consumer group rebalance.`,
    `Resolution: traffic was drained from the ${'ElastiCache'} cluster and the ${'DynamoDB'} table was switched to on-demand capacity.`,
  ];
  while (categories.some((category) => (counts.get(category) ?? 0) < perCategory)) {
    const lines: string[] = [`# Postmortem: ${tech()} incident ${documents.length + 1}`, '', pick(filler)];
    const plants: Plant[] = [];
    for (const category of categories) {
      if ((counts.get(category) ?? 0) >= perCategory) continue;
      const template = pick(templates[category])();
      lines.push('', template.text(template.values));
      for (const value of template.values) plants.push({ category, value });
      counts.set(category, (counts.get(category) ?? 0) + template.values.length);
    }
    lines.push('', pick(filler));
    documents.push({ text: lines.join('\n'), plants });
  }
  return documents;
}
