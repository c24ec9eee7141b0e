import type { FaultCategory } from '../../schemas/index.ts';
import { CueIndex } from '../../text/cue-index.ts';
import { rememberRecent } from '../../text/recent.ts';
import { contentWordsOf } from '../../text/words.ts';

/**
 * Failure mechanisms the offline fold can name: how an incident failed, independent of which
 * technology it failed in. Each has cues (weighted regular expressions over the incident's cause
 * sentences, most of them structural: a resource noun with an exhaustion verb, a change with its
 * scope, an action with what it did to live data); a negated hit ("this was not a retry storm")
 * does not count, a negative weight marks what contradicts the mechanism, and a sentence's hits add up, and an incident takes the mechanism with the most weight
 * when it reaches MIN_MECHANISM_SCORE, a mechanism its cause sentences tell before one told only
 * around them (see readMechanism). The list comes from what reliability engineering knows to
 * recur; an incident none of them fits is grouped by the words of its causes instead (see fold.ts).
 */
export interface Mechanism {
  id: string;
  /** The theme's name in the report. */
  theme: string;
  /** One sentence; a member's evidence must share a word stem with the theme's name or this. */
  description: string;
  /** The category most incidents of the mechanism fall under. */
  category: FaultCategory;
  /** Other categories a document of this mechanism is often classified under (supporting evidence). */
  alsoCategories?: readonly FaultCategory[];
  /** The investment that removes the mechanism (the offline opportunity's title). */
  investment: string;
  /**
   * Mechanisms this one is the reason for (a reader that is gone is why the disk filled; retries
   * without backoff, why the connection limit was hit): when the causes read as the other and the
   * document tells this one too (in the causes or the sentences around them), this one is read, if
   * it has at least EXPLAINS_SHARE of the other's weight.
   */
  explains?: readonly string[];
  cues: ReadonlyArray<readonly [RegExp, number]>;
}

export const MIN_MECHANISM_SCORE = 2;

export const MECHANISMS: readonly Mechanism[] = [
  {
    id: 'txid-wraparound',
    theme: 'Transaction-ID wraparound',
    description:
      'Transaction ids aged toward wraparound because vacuum or freezing could not advance, until writes were refused.',
    category: 'resource-exhaustion',
    investment: 'Transaction-age monitoring and guaranteed vacuum and freeze',
    cues: [
      [/\bwrap-?around\b/i, 3],
      [/\b(xid|transaction[- ]id|txid)s?\b/i, 1.5],
      // Structure: the transaction-id space itself running out.
      [
        /\b(run|ran|running|runs) out of (transaction[- ]ids?|xids?|txids?)\b|\b(transaction[- ]ids?|xids?|txids?)\b[^.]{0,40}\b(exhaust\w*|ran out|running out|hard limit|age (alert|limit|threshold))/i,
        3,
      ],
      [/\b(freez\w*|xmin|datfrozenxid|relfrozenxid|autovacuum|vacuum)\b/i, 1],
    ],
  },
  {
    id: 'connection-exhaustion',
    theme: 'Connection limit exhausted',
    description: 'Clients opened more connections than the server or pool allowed, so new connections were refused.',
    category: 'resource-exhaustion',
    investment: 'Connection budgets, pooling and alerting on connection headroom',
    cues: [
      [/\bmax_?connections\b|\bmaxclients\b|\btoo many (connections|clients)\b/i, 3],
      [
        /\bconnection (pool|limit|count|slots?|cap|ceiling)s?\b[^.]{0,60}\b(exhaust\w*|saturat\w*|max(ed)? out|hit|reached|full|exceed\w*|ran out)/i,
        3,
      ],
      [
        /\b(exhaust\w*|saturat\w*|ran out of|hit|reached|exceed\w*)\b[^.]{0,40}\bconnection (pool|limit|slots?|count)s?\b/i,
        3,
      ],
      [/\b(pool size|per-pod pool|pool_size|maxpoolsize|max_pool_size|pgbouncer|connection storm|reconnect\w*)\b/i, 1],
      // Structure: more clients, each with its own pool, multiplied past a fixed server ceiling.
      [
        /\b(pool size|pool|connections?|maxpoolsize|max_pool_size)\b[^.]{0,30}(\*|×|\btimes\b|\bmultipl\w*)[^.]{0,30}\b(pods?|instances?|workers?|replicas?|processes|functions?|containers?|hosts?|clients?|threads?)\b|\b(pods?|instances?|workers?|replicas?|processes|functions?|containers?|hosts?|clients?|threads?)\b[^.]{0,30}(\*|×|\btimes\b|\bmultipl\w*)[^.]{0,30}\b(pool size|pool|connections?)\b/i,
        3,
      ],
      [
        /\b(each|every) (\w+ ){0,3}(opens|opened|holds|held|keeps|kept|creates|created|has|had) (its own|their own|a|\d+) (\w+ )?(connections?|pool)\b|\bconnections? per (\w+ )?(pod|instance|worker|process|thread|client|function|container|pool slot)\b/i,
        1.5,
      ],
    ],
  },
  {
    id: 'disk-full',
    theme: 'Disk filled by unbounded growth',
    description:
      'Data, logs or a backlog grew without bound until the disk, volume or storage quota filled and writes stopped, or a free-space guard (an alarm, a read-only block) refused them.',
    category: 'resource-exhaustion',
    investment: 'Disk growth alerting, retention limits and headroom',
    cues: [
      [
        /\b(disk|volume|storage|filesystem|file system|partition)s? (was |were |became |got |is )?(full|filled|filling|exhausted|ran out)\b/i,
        3,
      ],
      [/\bfill(ed|ing)? (up )?(the |its |their |a )?(disk|volume|filesystem|storage|data directory)\b/i, 3],
      [
        /\b(no space left|out of (disk|space)|disk space|free space|enospc|disk usage|flood[- ]stage|disk (\w+ )?watermark|space exceeded|reclaim space|disk pressure|ephemeral storage|nospace)\b/i,
        2.5,
      ],
      [/\b(unbounded|runaway|grew|growth|accumulat\w*|piled up|never (rotated|cleaned|pruned|deleted))\b/i, 0.75],
      // Structure: data that stays or keeps arriving on a disk nothing watches or prunes.
      [
        /\b(logs?|data|files?|snapshots?|sstables?|segments?|backups?|dumps?|records?)\b[^.]{0,60}\b(kept|keeps?|left|retain\w*|pinn\w*|going|written|writ\w*|stay\w*) (on|to|in) (the |its |their |a )?(\w+ )?(disk|volume|filesystem|partition)s?\b/i,
        2.5,
      ],
      [/\b(ran out of|out of) (disk|storage|space)\b|\bgrew without (bound|limit)\b/i, 2],
      // A disk read at its brim: "brokers 3 and 5 report their data volume at 100%", "root filesystem hit 98%".
      [
        /\b(disk|volume|filesystem|file system|storage|partition)s?\b[^.]{0,20}\b(at|reached|hit|to) (9[5-9]|100)(\.\d+)? ?%/i,
        3,
      ],
      // Structure: the technology's own free-space guard, by the names it gives it: a disk alarm that
      // blocks publishers, a read-only block put on every index when free space fell under its stage.
      [
        /\b(disk|free[- ]disk|free[- ]space|disk[- ]space) alarms?\b|\bread[- ]only[ /_-]*(index )?(blocks?|allow[ _-]delete)\b|\bread_only_allow_delete\b|\bcluster_block_exception\b/i,
        3,
      ],
      [/\b\d+(\.\d+)? ?(mb|gb|tb)\b[^.]{0,20}\b(a|per|each) (day|hour|week)\b/i, 1],
      [/\b(log rotation|logrotate|retention (limit|setting)|purge\w*|compaction never)\b/i, 0.75],
      [/\b(wal|binlogs?|logs?|snapshots?|segments?|backlog)\b/i, 0.5],
    ],
  },
  {
    id: 'memory-exhaustion',
    theme: 'Memory exhausted',
    description:
      'Data grew until a store reached its memory limit (maxmemory, a heap or cache cap), and it evicted live data or refused writes.',
    category: 'resource-exhaustion',
    investment: 'Memory limits, eviction policy review and memory-pressure alerting',
    cues: [
      // The store's own memory cap reached, or its memory stated as running out. The eviction
      // policy's name is a setting, not the cap: it counts with the evictions below.
      [/\b(maxmemory(?![-_]policy)|heap (space|exhaust\w*|full))\b/i, 3],
      [/\b(out of memory|(ran|run|runs|running) out of memory|memory (exhaust\w*|(was |is |became )?full))\b/i, 2.5],
      // A process killed for its memory, or a memory limit alone, is how many different faults end
      // (a leak, a fork, an oversized load): it supports the mechanism, it does not found it.
      [/\b(oom[- ]?kill\w*|oom\b|oomkilled|memory (limit|pressure))\b/i, 1.5],
      [/\b(memory leak|leak\w* memory|used_memory|evict\w*|noeviction|maxmemory[-_]policy)\b/i, 1.5],
      [/\b(garbage collect\w*|gc pauses?|full gc)\b/i, 1],
    ],
  },
  {
    id: 'retry-storm',
    theme: 'Retry storm amplifying overload',
    description:
      'Clients retried failed calls or reconnected immediately and together, without backoff, jitter or delay, multiplying the load on a struggling service so it could not recover.',
    category: 'capacity',
    investment: 'Retry budgets with backoff, jitter and circuit breakers',
    explains: ['connection-exhaustion'],
    cues: [
      [/\bretry (storm|amplif\w*|loop|flood)s?\b/i, 3],
      [/\bretr(y|ies|ied)\b[^.]{0,60}\b(independent\w*|every layer|each layer|layers)\b/i, 2.5],
      [/\bretry (policy|policies|configuration|settings|logic)\b/i, 1.5],
      [/\bthundering herd\b/i, 1.5],
      [
        /\bretr(y|ies|ied)\b[^.]{0,80}\b(amplif\w*|multipl\w*|doubl\w*|tripl\w*|\d+x|\d+ ?times|without (backoff|jitter|delay)|no (backoff|jitter)|immediately|tight loop|hammer\w*)/i,
        3,
      ],
      [/\b(amplif\w*|multipl\w*|hammer\w*)\b[^.]{0,60}\bretr(y|ies|ied)\b/i, 2.5],
      // Structure: retries and the load they added ("timeouts -> retries -> more load", "the retries consumed the capacity").
      [
        /\bretr(y|ies|ied|ying)\b[^.]{0,60}\b(more (load|traffic|requests)|(consum\w*|ate|used up|took)\b[^.]{0,30}\b(capacity|throughput|headroom)|overload\w*|overwhelm\w*|load spiral|feedback loop)/i,
        3,
      ],
      [/\b(load|traffic|requests?|rps)\b[^.]{0,40}\b(from|by|of) (the )?retr(y|ies)\b/i, 2.5],
      [/\b(absorbed|eaten|consumed|swallowed|used up) by (the )?retr(y|ies)\b/i, 3],
      [
        /\b(treat\w*|count\w*|handl\w*|mark\w*) (any|every|each|all|a failed|failed)\b[^.]{0,30}\bas (retryable|'?retry)|\bimmediately (re-?sent|retried|re-?issued|re-?submitted|reconnected|re-?queued)\b|\b(re-?sent|re-?issued|re-?submitted|reconnected)\b[^.]{0,20}\bimmediately\b/i,
        2,
      ],
      [
        /\beach (\w+ )?(request|call|attempt|write|message)\b[^.]{0,30}\b(turned|became|multiplied|fanned out) into\b/i,
        3,
      ],
      [/\b(backoff|jitter|circuit breaker)\b/i, 1],
      // Structure: a retry told without the word: clients that come back at once, with no pause.
      [
        /\b(no|without( any)?|zero|missing)( \w+)? (backoff|back-off|jitter|delay between (attempts|retries|tries))\b/i,
        3,
      ],
      [
        /\breconnect\w*\b[^.]{0,60}\b(tight loop|in a loop|all (together|at once)|at the same (instant|time|moment)|immediately|no delay|without (delay|backoff|pause)|storm|herd)|\b(reconnect(ion)?|connection|login|refresh) (storm|herd)s?\b/i,
        3,
      ],
      // Structure: a retry told with the pause it lacked ("our client retried with zero delay").
      [
        /\b(retr(y|ies|ied|ying)|reconnect\w*|re-?sen[dt]\w*)\b[^.]{0,20}\b(with|after) (zero|no|a 0 ?m?s) (delay|wait|pause|backoff)\b/i,
        3,
      ],
      // A remedy that confines retries to one layer or gives them a budget names the fault: every
      // layer retried, without limit (the form of the staged-rollout remedy for a global push).
      [
        /\bretr(y|ies|ying)\b[^.]{0,20}\bonly (at|in|from) (the )?(outermost|outer|top|topmost|edge|first|one|a single|a)( \w+)? (layer|tier|hop)\b/i,
        3,
      ],
      [/\bretry budgets?\b/i, 1.5],
      // A brief degradation told as turned into a long one, what retries without backoff make of it.
      [
        /\b\d+[ -]?(s|secs?|seconds?|minutes?|min)\b[^.]{0,30}\b(became|turned into|grew into|stretched into) (a |an )?\d+[ -]?(mins?|minutes?|hours?|h)\b/i,
        1.5,
      ],
      [
        /\b(attempt\w*|tried|re-?sent|re-?issued|re-?submitted)\b[^.]{0,30}\b(up to )?(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) times\b[^.]{0,40}\b(quick succession|immediately|in a row|back[- ]to[- ]back|per (call|request|write|message))|\b\d+ (attempts|tries|calls) per (\w+ )?(call|request|write|message)\b/i,
        3,
      ],
      [/\bretr(y|ies) (count|limit|attempts?)\b[^.]{0,30}\b(raised|increased|set|bumped) to \d+/i, 2.5],
      [
        /\b(errors?|timeouts?|failures?|rejections?)\b[^.]{0,20}\b(triggered|caused|led to|started) (another|more|a new|further) (refresh|retry|retries|reconnect\w*|attempts?|round)\b/i,
        3,
      ],
      [/\b(multiply\w*|amplif\w*) (the )?(requests|calls|traffic|load)\b|\b\d+ ?[*×] ?\d+ ?[*×] ?\d+\b/i, 1.5],
    ],
  },
  {
    id: 'cache-stampede',
    theme: 'Cache stampede onto the backing store',
    description:
      'A cache was flushed, expired together or went cold, and the misses fell on the backing store at once.',
    category: 'capacity',
    investment: 'Cache warming, request coalescing and staggered expiry',
    cues: [
      [/\b(stampede|dogpile|cache miss storm)\b/i, 3],
      [
        /\bcache\b[^.]{0,60}\b(flush\w*|purg\w*|emptied|wiped|cleared|expired (at once|together|simultaneously))\b/i,
        2.5,
      ],
      [/\b(flush\w*|purg\w*|invalidat\w*)\b[^.]{0,40}\bcache\b/i, 2],
      // A cold cache is a state, and most often a consequence (of a restart, a failover, a kill):
      // alone it supports the mechanism, it does not found it.
      [/\bcold\b[^.]{0,40}\bcache\b|\bcache\b[^.]{0,60}\bcold\b/i, 1],
      [/\b(miss(es)?|hit rate)\b[^.]{0,60}\b(database|backend|origin|backing store|primary)\b/i, 1.5],
      [/\b(miss(ed|es)?)\b[^.]{0,40}\b(simultaneous\w*|at once|together|all at the same time)\b/i, 2.5],
      // Structure: entries written together that all expired together ("they all died in one go").
      [
        /\b(all|every one of them|them all|all of them|every key)\b[^.]{0,30}\b(died|expired|lapsed|aged out|reached (its|their) end of life)\b[^.]{0,30}\b(in one go|at once|together|at the same (time|moment|instant)|in the same (minute|second|few minutes|four minutes))\b/i,
        3,
      ],
      [/\bcache miss\w*\b[^.]{0,60}\b(flood\w*|overwhelm\w*|hammer\w*|swamp\w*)\b/i, 2.5],
      [/\b(remapp?\w*|rehash\w*)\b[^.]{0,60}\bkeys\b/i, 2],
      [/\b(purg\w*|flush\w*)\b/i, 0.75],
    ],
  },
  {
    id: 'hot-partition',
    theme: 'Hot key or partition throttled',
    description:
      'Traffic concentrated on one key, partition or shard beyond its per-partition limit, which throttled while the rest sat idle.',
    category: 'capacity',
    investment: 'Key design reviews and per-partition heat monitoring',
    cues: [
      [/\bhot (key|partition|shard|spot|row|item|prefix)(e?s)?\b/i, 3],
      [
        /\b(per-partition|per[- ]prefix|partition key|single partition|one partition|same partition|key skew|skewed (keys?|partitions?|traffic))\b/i,
        2,
      ],
      [/\b(throttl\w*|slow ?down)\b/i, 0.75],
      // Structure: traffic concentrated on one unit while the others sit idle.
      [
        /\b(concentrat\w*|all|most|the bulk|\d+ ?%)\b[^.]{0,40}\b(on|under|to|in|onto) (one|a single|the same) (prefix|partition|shard|key|node|broker)\b/i,
        3,
      ],
      [
        /\ball (the )?other( \d+)? (partitions|shards|prefixes|keys|nodes|brokers|tenants)\b[^.]{0,30}(idle|fine|near (zero|0)|~?0\b|normal|quiet|cold|unaffected)|\b(every|each) other (tenant|customer|partition|shard|key)\b[^.]{0,40}\b(was|were|stayed) (fine|normal|unaffected|idle)/i,
        2.5,
      ],
      [
        /\b(sequential|monotonic\w*|timestamp|date)[- ](ids?|keys?|prefix\w*)\b|\bhash(es|ed)? to (one|the same|a single)\b/i,
        1.5,
      ],
      // Structure: one key or routing value that always lands on one unit, or a unit the load left overloaded alone.
      [
        /\b(one|a single|the same) (key|routing value|tenant id|customer id)\b[^.]{0,60}\b(always|all|every\w*)\b[^.]{0,40}\b(the same|one|a single) (node|shard|partition|broker|server)\b|\b(a single|one) (overloaded|hot|busy|saturated) (shard|partition|node|broker)\b|\bsit on one (shard|partition|node)\b/i,
        3,
      ],
      // Structure: the technology's placement of data or leadership concentrated on a few units
      // (leaders or replicas for most of the partitions, a placement told as the problem, a shard
      // key that follows time, so every new write lands on the last range).
      [
        /\b(leaders?|leadership|primar(y|ies)|owners?|replicas?)\b[^.]{0,20}\bfor (\d+ ?%|most|the majority|far more|nearly all|all) of (the )?(partitions|shards|tokens|token ranges|ranges|slots|keys|data)\b/i,
        3,
      ],
      [
        /\b(token|slot|partition|shard|leader(ship)?|data) (ownership|placement|allocation|distribution|assignment)\b[^.]{0,30}\b(problem|imbalance\w*|uneven|skew\w*|lopsided)|\b(uneven|unbalanced|imbalanced|skewed|lopsided) (token|slot|partition|shard|leader\w*|data) (ownership|placement|allocation|distribution)\b|\b(leadership|leaders|partitions|shards) (never|did not|didn'?t) (move|moved|go|went|rebalance\w*|return\w*) back\b/i,
        2,
      ],
      [
        /\b(shard|partition|distribution|hash) key\b[^.]{0,40}\b(time|timestamps?|dates?|time range|created_?at|monotonic\w*|ever[- ]increasing|auto[-_ ]?increment\w*)\b/i,
        2.5,
      ],
    ],
  },
  {
    id: 'expiry',
    theme: 'Expired certificate or credential',
    description:
      'A certificate, password, token or key reached its expiry date (or was rotated) without renewal reaching its users, and connections or logins were refused.',
    category: 'network',
    investment: 'An inventory of expiring certificates and credentials with automated renewal and expiry alerts',
    cues: [
      [/\bcert(ificate)?s?\b[^.]{0,60}\bexpir\w*/i, 3],
      [/\bexpir\w*\b[^.]{0,40}\bcert(ificate)?s?\b/i, 3],
      [
        /\b(token|credential|password|secret|api key|access key|service account key|role)s?\b[^.]{0,50}\b(expir\w*|rotat\w*|revok\w*)/i,
        3,
      ],
      [/\b(expir\w*|rotat\w*|revok\w*)\b[^.]{0,40}\b(token|credential|password|secret|api key|access key)s?\b/i, 2.5],
      [/\b(renewal|renew\w*|notAfter|x509|tls handshake|valid until)\b/i, 1],
      // Structure: a certificate managed by hand or with a stated lifetime, the shape of a lapse.
      [
        /\bcert(ificate)?s?\b[^.]{0,60}\b(manual\w*|by hand|not enrolled|never enrolled|outside (the|our) automation|renewed by (hand|a person|a reminder))\b|\b(manual\w*|by hand)\b[^.]{0,30}\bcert(ificate)?s?\b/i,
        2,
      ],
      [
        /\b(\d+|one|two|three|five|ten|twenty)[- ](year|month|day)s?[- ]?(lifetime|validity)\b|\b(lifetime|validity( period)?) of (\d+|one|two|three|five|ten) (years?|months?|days?)\b/i,
        2,
      ],
      [
        /\b(certificate|cert|chain|tls|mtls|mutual-tls)\b[^.]{0,80}\b(fail\w* (verification|validation)|verification fail\w*|handshake\w* fail\w*|fail\w* (the )?(tls )?handshake)|\b(fail\w* (verification|validation)|handshake\w* fail\w*|fail\w* (the )?(tls )?handshake)\b[^.]{0,80}\b(certificate|cert|chain)\b/i,
        1.5,
      ],
    ],
  },
  {
    id: 'global-config-push',
    theme: 'Bad change pushed everywhere at once',
    description:
      'A configuration or rule change went to every region, node or tenant at once, without staging or canary, so its fault was global.',
    category: 'configuration-change',
    investment: 'Staged, validated configuration rollout with automatic rollback',
    cues: [
      [
        /\b(every|all)( \w+)? (regions?|clusters?|data ?cent(er|re)s?|nodes?|hosts?|pops?|edges?|tenants?|environments?|locations?)\b[^.]{0,40}\b(at once|simultaneously|at the same time|in one go|within (seconds|a minute|the same minute))/i,
        3,
      ],
      [
        /\b(pushed|propagated|rolled out|deployed|applied|shipped|replicated)\b[^.]{0,60}\b(globally|everywhere|fleet[- ]wide|to (every|all) (regions?|nodes?|clusters?|hosts?|pops?|edges?))/i,
        3,
      ],
      [/\b(global (config\w*|rule|push|change|setting)|fleet[- ]wide)\b/i, 2],
      // Structure: a change verb and its scope, every member of a fleet at once.
      [
        /\b(published|pushed|propagated|applied|applies|rolled|deployed|shipped|replicated|synced|distributed|delivered|went out|went|reached)\b[^.]{0,60}\b(to|on|across|in) (every|all|each)( \w+){0,3} (regions?|clusters?|data ?cent(er|re)s?|nodes?|hosts?|pops?|points? of presence|edges?|tenants?|environments?|locations?|servers?|machines?|instances?|pods?|zones?|markets?|shards?|sites?|brokers?|vhosts?|fleet|load balancers?|proxies|proxy|gateways?|routers?)\b/i,
        3,
      ],
      [
        /\beverywhere at once\b|\ball[- ]at[- ]once\b|\b(in|with|within) (a single|one|the same) (\w+ )?(run|step|wave|push|pass|batch|go|deploy\w*|play|sync|apply)\b|\b(single|one) global (push|change|rollout|deploy\w*)\b/i,
        2,
      ],
      // Structure: a value switched on for everyone (all users, every region) in one action.
      [
        /\b(flag|feature|toggle|setting|rule|switch)\b[^.]{0,40}\b(on|enabled|applied|live|active)\b[^.]{0,20}\bfor (all|every) (users?|customers?|regions?|tenants?|traffic|requests?)\b/i,
        3,
      ],
      // A remedy that stages the rollout names the fault: it went everywhere at once.
      [
        /\b(publish\w*|push\w*|roll\w*|deploy\w*|ship\w*|apply\w*|reload\w*|sync\w*)( \w+){0,3}? (to|on|in) (\d+|one|two|a few|a single|a subset of)( \w+)? (pops?|regions?|clusters?|sites?|nodes?|hosts?|edges?|data ?cent(er|re)s?|zones?|locations?)( \w+)? (first|at a time|before (the rest|continuing|the others))\b|\bregion by region\b|\bsite by site\b|\bcluster by cluster\b/i,
        4,
      ],
      [
        /\b(one|a single|\d+|a few) (\w+ )?(clusters?|regions?|hosts?|nodes?|pops?|sites?|zones?|servers?|pods?|percent)( \w+)? first\b[^.]{0,60}\bthen (the rest|everything|all|the others|everywhere)\b/i,
        4,
      ],
      [
        /\b(a single|one|the same|one shared) (file|template|source|repo\w*|playbook|manifest|value|setting|flag|key)\b[^.]{0,60}\b(\d+|every|all|each)( \w+){0,2} (regions?|clusters?|data ?cent(er|re)s?|nodes?|hosts?|pops?|points? of presence|edges?|tenants?|environments?|locations?|servers?|machines?|instances?|pods?|zones?|markets?|shards?|sites?|brokers?|fleet|load balancers?|proxies|proxy|gateways?|routers?)\b|\b(\d+|every|all|each)( \w+){0,2} (regions?|clusters?|data ?cent(er|re)s?|nodes?|hosts?|pops?|points? of presence|edges?|tenants?|environments?|locations?|servers?|machines?|instances?|pods?|zones?|markets?|shards?|sites?|brokers?|fleet|load balancers?|proxies|proxy|gateways?|routers?)\b[^.]{0,60}\b(from|by|in) (a single|one|the same) (file|template|source|repo\w*|playbook|manifest|run)\b/i,
        2.5,
      ],
      [/\bserial:? ?100 ?%|\bno (notion of|concept of)\b[^.]{0,30}\b(one region|first|stag\w*|canary)\b/i, 2],
      // What contradicts it: a staged rollout or canary that did its job.
      [
        /\b(staged|gradual|progressive|canary)( \w+)? (rollout|release|deploy\w*|analysis)?\b[^.]{0,30}\b(was real|worked|caught|did its job|halted|stopped it)\b/i,
        -3,
      ],
      [
        /\b(no|missing|without( a)?|skipp\w*|bypass\w*|removed)( \w+)? (canary|staged rollout|staging|stage|gradual rollout|progressive rollout|regional rollout|single[- ]region|first step|staging cluster|batching)\b/i,
        2,
      ],
    ],
  },
  {
    id: 'split-brain',
    theme: 'Split brain after a partition or failover',
    description:
      'A network partition or failover left two nodes, or both sides of the cut, each acting as primary, master or leader, and their writes diverged.',
    category: 'failover-replication',
    investment: 'Fencing, quorum settings and failover drills',
    cues: [
      [/\bsplit[- ]brain\b/i, 3],
      [/\b(two|both|dual|multiple) (primaries|primarys|masters|leaders|controllers|writers)\b/i, 3],
      // Structure: both sides of the cut took writes (or acted as master). That is the mechanism
      // itself, as strong as a cue gets: told only in the timeline, it still names it.
      [
        /\b(both|each|either) (nodes|sides|sites|halves)\b( of [\w-]+)?[^.]{0,12}\b(accept(ed|s)?|took|take|kept (accepting|taking)) (the )?(writes|updates)\b|\bboth (sides|halves)( of [\w-]+)? (act(ed|ing)?|served) as (a |the )?(primary|master|leader)\b/i,
        4,
      ],
      [/\b(fencing|quorum|minority side|majority side|leader election|re-?elect\w*)\b/i, 1],
      // Structure: a member cut off that went on acting as leader, elected itself, or needed no
      // majority to act; the cluster told as two, each side believing it was the only one; the
      // setting that says how many must agree (minimum_master_nodes), or a write-safety setting off.
      [
        /\b(went on|kept|continued|carried on) (acting|serving) as (a |the )?(master|primary|leader)\b|\belected itself\b|\b(did not|didn't|does not|doesn't) require a majority\b|\bone vote was enough\b|\bas two (clusters|sides|halves)\b|\beach believing\b/i,
        3,
      ],
      [/\bminimum_master_nodes\b|\bmin-replicas-to-write\b/i, 2],
      // Structure: the two sides of a cut that did not merge back on their own.
      [
        /\b(the )?two (sides|halves)\b[^.]{0,40}\b(did not|didn't|could not|couldn't|never|would not) (merge|rejoin|reconcile)\b/i,
        3,
      ],
      // Structure: the side cut off from the majority kept acting as primary, or both sides carried on.
      [
        /\b(old|former|isolated|minority|cut[- ]off) (primary|master|leader)\b[^.]{0,30}\b(kept|continued|still|went on|carried on)\b[^.]{0,20}\b(accept\w*|tak\w*|acknowledg\w*|serv\w*)\b[^.]{0,10}\bwrites\b|\b(primary|master|leader)\b[^.]{0,30}\b(cut off|isolated|partitioned) from\b[^.]{0,60}\b(accept\w*|acknowledg\w*|tak\w*)\b[^.]{0,10}\bwrites\b|\b(each|both|either) (side|half|partition)s?\b[^.]{0,40}\b(carr(y|ies|ied) on|kept (on|going|accepting|taking)|continued|act\w* as (a |the )?(primary|master|leader))/i,
        3,
      ],
      [/\b(rolled back|roll(ed)? back|discarded|thrown away)\b[^.]{0,30}\bwrites\b|\bpartition[_ ]handling\b/i, 1.5],
    ],
  },
  {
    id: 'session-expiry-pause',
    theme: 'Pauses or delays outlasting a liveness timeout',
    description:
      'A process, disk or link stalled (garbage collection, swapping, a slow fsync, a long round trip) for longer than its session, heartbeat or election timeout allowed, so a healthy member was declared dead and lost its session, leadership or membership, often again and again.',
    category: 'resource-exhaustion',
    // Losing leadership or membership is how it shows: documents of it are often filed under failover.
    alsoCategories: ['failover-replication'],
    investment: 'Pause monitoring, heap sizing and timeouts sized to real pauses',
    cues: [
      [
        /\bsessions? (expir\w*|timed out|timeout)\b|\b(lease|session) (was )?lost\b|\blost (its |their )?(sessions?|leases?|leadership)\b/i,
        2,
      ],
      [
        /\b(gc|garbage[- ]collection|stop-the-world|vm|jvm)\b[^.]{0,30}\b(pauses?|stalls?|freez\w*)\b|\bswapp\w*\b/i,
        1.5,
      ],
      // A stall of the disk under a process that must write before it answers is a pause too.
      [/\b(fsyncs?|disk|storage|i\/o|io|transaction log)\b[^.]{0,20}\b(stall\w*|pauses?|freez\w*|blocked)\b/i, 1.5],
      [/\b(pauses?|stalls?)\b[^.]{0,60}\b(exceed\w*|longer than|outlast\w*)\b[^.]{0,40}\b(timeout|lease)\b/i, 3],
      // Structure: the failure detector's timing set tighter than the environment's ordinary delays
      // (left at single-site defaults for a stretched cluster, tightened, clamped), told either way round.
      [
        /\b(heartbeat\w*|election[ -]?timeout\w*|electiontimeoutmillis|session[ -]?timeout\w*|synclimit|initlimit|ticktime|failure detect\w*|timing flags)\b[^.]{0,80}\b(defaults?|left at|single[- ](zone|region|site)|one data ?cent\w*|inside one data ?cent\w*|local ssd|too (short|low|tight|aggressive)|clamp\w*|tighten\w*)\b/i,
        3,
      ],
      [
        /\b(tighten\w*|lowered|reduced|clamp\w*|left at (the )?(single[- ]\w+ )?defaults?)\b[^.]{0,60}\b(heartbeat|election|session|failure[- ]detection)( (timeouts?|intervals?))?\b|\bdefaults?\b[^.]{0,20}(--)?\b(heartbeat|election)[\w-]*/i,
        3,
      ],
      [
        /\btimeouts?\b[^.]{0,60}\b(intended|meant|tuned|sized|set) for\b[^.]{0,40}\b(one|a single|local|single[- ]\w+)\b/i,
        3,
      ],
      // How it shows: heartbeats missed while the member stalled, and leadership lost again and again.
      [/\b(miss\w*|stopped receiving|could not send)\b[^.]{0,60}\bheartbeats?\b/i, 1.5],
      // A member that stalled past its liveness checks and was removed for it.
      [
        /\b(cannot|could not|can't|couldn't) answer\b[^.]{0,60}\bheartbeats?\b|\bmissed (\w+ )?(checks|heartbeats|pings)\b[^.]{0,60}\b(removed|evicted|expelled|declared)\b/i,
        2,
      ],
      [
        /\b(kept|keeps|keep) (losing|electing|changing|electing a new) (its |a |the )?(leader|primary)\b|\b(elected|changed primary|stepped down|new leader)\b[^.]{0,60}\b(over and over|again and again|\d+ times|nine times|repeatedly)\b/i,
        1.5,
      ],
    ],
  },
  {
    id: 'replication-lag',
    theme: 'Replication lag and stale reads',
    description: 'Replicas fell behind the primary, and reads or failovers served stale or missing data.',
    category: 'failover-replication',
    investment: 'Replication lag alerting and read-your-writes routing',
    cues: [
      [
        /\b(replica(tion)? lag|lagg\w* replicas?|replica\w* (fell|was|were) behind|behind the primary|seconds_behind_master|stale reads?|read-after-write)\b/i,
        3,
      ],
      [/\b(replicas?|followers?|secondar(y|ies)|standbys?)\b[^.]{0,40}\b(lag\w*|behind|stale)\b/i, 2],
      // Structure: a decision read old data from a copy that lags the writes.
      [
        /\b(reads?|read|queries|queried|checks?|looks? up|looked up)\b[^.]{0,30}\b(old|stale|outdated|out[- ]of[- ]date|previous)\b[^.]{0,30}\bfrom (the |a )?(secondar(y|ies)|replicas?|standbys?|followers?|read replicas?)\b/i,
        4,
      ],
      [/\b(secondarypreferred|readpreference|eventual(ly)? consisten\w*|read[- ]your[- ](own[- ])?writes)\b/i, 1.5],
      // Reads sent to the secondaries on purpose, by the driver's read preference.
      [/\breadpreference\s*[=:]?\s*["'`]?(secondary|secondarypreferred|nearest)\b/i, 2],
      // Structure: the copy stopped applying or missed writes ("paused WAL replay", "blocked
      // replication apply", "a replica that had missed four hours of writes", "the index lagged the
      // base table").
      [
        /\b(paused|stopped|halted|blocked|suspended) (\w+ ){0,2}(wal replay|replay|replication( apply)?|apply)\b|\b(replicas?|secondar(y|ies)|standbys?|followers?|nodes?|copy|copies) that (had )?missed\b[^.]{0,30}\bwrites\b|\b(index|replicas?|copy|followers?|secondar(y|ies)|standbys?) lagged (behind )?(the )?(base table|primary|leader|writes|source)\b/i,
        3,
      ],
    ],
  },
  {
    id: 'consumer-rebalance',
    theme: 'Consumer group rebalance loop',
    description:
      'Consumers exceeded their poll or session deadline, were evicted from the group, and rebalances repeated while lag grew.',
    category: 'configuration-change',
    investment: 'Consumer deadline tuning and rebalance monitoring',
    cues: [
      [
        /\b(consumers?|consumer groups?|group members?|the group|partition assignment)\b[^.]{0,80}\brebalanc\w*|\brebalanc\w*\b[^.]{0,80}\b(consumers?|group|partitions? (were |was )?(revoked|reassigned))\b/i,
        3,
      ],
      [/\brebalanc\w*\b/i, 1],
      // A consumer's own session setting, not a coordination service's (zookeeper.session.timeout.ms).
      [/\b(max\.poll\.interval\.ms|max\.poll\.records|(?<![\w.])session\.timeout\.ms|poll interval)\b/i, 2],
      [/\bheartbeat\w*\b[^.]{0,60}\b(consumer|group|poll\w*|coordinator|evict\w*|miss\w*|timed out)\b/i, 2],
      [/\bconsumer group\b/i, 1],
      // Structure: a consumer that did not come back to poll within its deadline (the negation is the point).
      [
        /\b(not|never|didn'?t|did not|does not|doesn'?t|fail\w* to|could not|couldn'?t|can'?t|cannot)( \w+)? (poll|heartbeat)\w*\b[^.]{0,20}\b(within|before|in time)\b/i,
        3,
      ],
      [
        /\b(batch|processing|work|handler|poll loop)\b[^.]{0,40}\b(longer than|exceed\w*|outlast\w*|outran)\b[^.]{0,30}\b(poll (interval|budget|timeout)|max\.poll)/i,
        2.5,
      ],
    ],
  },
  {
    id: 'redelivery-timeout',
    theme: 'Messages redelivered after a short ack deadline',
    description:
      'Processing took longer than the visibility timeout or ack deadline, so messages were redelivered and processed more than once.',
    category: 'configuration-change',
    investment: 'Ack deadlines sized to processing time, with idempotent consumers',
    cues: [
      [/\b(visibility timeout|ack(nowledg\w*)? deadline|ack timeout|redeliver\w*|re-delivered|consumer_timeout)\b/i, 3],
      // Structure: a message not acknowledged within the broker's deadline (the negation is the point).
      [
        /\b(not|never|didn'?t|did not|does not|doesn'?t|fail\w* to|could not|couldn'?t)( \w+)? (ack|acked|acknowledge\w*|delete|deleted)( (it|them|the message|the job))? (within|before|in time)\b/i,
        3,
      ],
      [
        /\b(processed|charged|sent|delivered|handled|received) (twice|more than once|again|multiple times|over and over)\b|\breceived the same (\w+ ){0,2}(two|three|four|five|six|several|multiple|many|\d+) times\b|\bduplicate (processing|charges|emails|messages|deliveries)\b/i,
        2,
      ],
      [/\b(idempoten\w*|in-flight)\b/i, 0.75],
    ],
  },
  {
    id: 'mapping-explosion',
    theme: 'Unbounded cardinality (mapping, index or metric explosion)',
    description:
      'Unbounded user-defined keys became fields, series or labels, and the cardinality overwhelmed the store.',
    category: 'software-bug',
    investment: 'Cardinality limits and schema control for user-defined keys',
    cues: [
      [
        /\b(mapping explosion|field explosion|cardinality (explosion|blow-?up)|high[- ]cardinality|total_fields|field limit|dynamic mapping)\b/i,
        3,
      ],
      [/\b(cardinality|mapping|cluster state)\b/i, 1],
      [/\b(unbounded|arbitrary|user-defined|tenant-defined|per-user)\b[^.]{0,40}\b(keys|fields|labels|series)\b/i, 2],
      // What contradicts it: a value refused for its field's type is a type conflict, not too many fields.
      [/\bmapper_parsing_exception\b|\bfailed to parse field\b|\bof type \[\w+\]/i, -3],
    ],
  },
  {
    id: 'lock-contention',
    theme: 'Schema change or migration blocked on locks',
    description: 'A schema change or long transaction held or waited for a lock, and every query behind it queued.',
    category: 'operational-error',
    investment: 'Online schema change tooling with lock timeouts',
    cues: [
      [
        /\b(metadata lock|table lock|lock queue|lock wait|access exclusive|waiting for (table )?(metadata )?lock|lock contention|locked the table)\b/i,
        3,
      ],
      [/\block(ing|ed|s)? (the|a|its|every) (whole )?(database|table|collection)\b/i, 3],
      [/\b(alter table|ddl|schema (change|migration)|add column|create index|index build)\b/i, 1.25],
      [/\b(long[- ]running (transaction|query)|idle in transaction)\b/i, 1],
    ],
  },
  {
    id: 'lifecycle-deletion',
    theme: 'Data deleted by a retention, TTL or cleanup rule',
    description: 'A lifecycle, TTL, retention or cleanup rule matched live data and deleted or expired it.',
    category: 'data-loss-corruption',
    investment: 'Deletion safeguards: dry runs, soft delete and restore drills',
    cues: [
      [
        /\b(lifecycle (rule|policy|configuration)|(expiration|expiry) (rule|policy)|retention (policy|rule|job|setting)|ttls?|(default_)?time[ _-]to[ _-]live|cleanup (job|script|cron)|garbage[- ]collection job|purge job)\b[^.]{0,130}\b(?<!\b(?:(?:was|were|is|are|been|be|get|got) (?:never|not)|(?:was|were|is|are)n't|to) )(delet\w*|expir\w*|remov\w*|purg\w*|wip\w*)/i,
        3,
      ],
      [/\b(delet\w*|expir\w*|purg\w*)\b[^.]{0,60}\b(live|production|active|current|in-use)\b/i, 1.5],
      // The same rule as the agent of a passive deletion ("items deleted by the table's own TTL
      // process", "the image had been deleted by registry retention").
      [
        /\b(deleted|expired|removed|purged|wiped|deletes)\b by (the |a |an |its |their |our )?([\w-]+(['’]s)? ){0,3}(ttl|lifecycle|retention|expiry|expiration|cleanup|ilm|time[ _-]to[ _-]live)\b/i,
        3,
      ],
      [
        /\b(lifecycle|expiration|expiry|retention|ttl|ilm|index lifecycle) (rules?|polic(y|ies)|phases?|attributes?|settings?)\b|\b\d+[- ]?(d|days?)\b[^.]{0,15}\b(retention|polic(y|ies)|ttl)\b/i,
        1.5,
      ],
      // Structure: data removed by its age, the shape of every retention rule. A passive deletion
      // denied ("indices older than 90 days were never removed") or an infinitive's "to" ("a job
      // that lists the prefix to delete old files") tells a deletion that did not happen, or what a
      // job is for: neither is live data deleted (here and in the two cues around it). A rule that
      // "never deletes" (a remedy) still names the fault. An
      // "expired" before the age is most often a key's or a certificate's state, not the rule's act.
      [
        /\b(delet\w*|expir(e|es|ing)|purg\w*|remov\w*|wip\w*)\b[^.]{0,80}\bolder than\b|\b(delet\w*|expir\w*|purg\w*)\b[^.]{0,30}\bafter (\d+|one|two|three|seven|ten|fourteen|thirty|sixty|ninety) (days?|weeks?|months?|hours?)\b|\bolder than \w+ (days?|weeks?|months?)\b[^.]{0,100}\b(?<!\b(?:(?:was|were|is|are|been|be|get|got) (?:never|not)|(?:was|were|is|are)n't|to) )(delet\w*|expir\w*|purg\w*|remov\w*|lost)\b/i,
        3,
      ],
      [
        /\b(cleanup|clean-up|purge|orphan\w*|janitor|reaper|sweeper) (job|script|task|cron|process)\b[^.;]{0,60}\b(?<!\b(?:(?:was|were|is|are|been|be|get|got) (?:never|not)|(?:was|were|is|are)n't|to) )(delet\w*|remov\w*|purg\w*|drop\w*)/i,
        3,
      ],
      // Structure: a rule whose scope is empty (no filter, no prefix) applies to everything it can reach.
      [
        /\b(lifecycle|expiration|expiry|retention|ttl|ilm|deletion|cleanup) (rules?|polic(y|ies)|jobs?|phases?)\b[^.]{0,30}\b(with|had|has|having|whose|and) (an? )?(empty|no|missing|blank|catch-all) (filter|prefix)\b|\b(empty|no|missing|blank) (filter|prefix)\b[^.]{0,40}\b(lifecycle|expiration|expiry|retention) (rules?|polic(y|ies))\b/i,
        3,
      ],
      // Or a rule scoped by a prefix or filter that matched more than it was meant to ("written
      // against a prefix that also matched the folder where finished files live", "the filter ...
      // was written as an empty prefix").
      [
        /\b(lifecycle|expiration|expiry|retention|ttl|deletion|cleanup) (rules?|polic(y|ies)|jobs?|filters?)\b[^.]{0,120}\b(prefix (that |which )?also match\w*|match\w* (every|all|the whole)|written as an empty|empty (prefix|string))\b/i,
        3,
      ],
      // A resolution that switches the expiry rule off names it as the fault ("TTL disabled on the
      // table", "disabled the lifecycle rule"), even when the causes only tell what went missing.
      [
        /\b(ttl|time[ _-]to[ _-]live|lifecycle (rules?|polic(y|ies)|configuration)|(expiration|expiry) (rules?|polic(y|ies))|ilm polic(y|ies))\b[^.]{0,20}\b(was |were |is )?(disabled|turned off|switched off|suspended|paused)\b|\b(disabled|turned off|switched off|suspended|paused) (the )?([\w-]+ ){0,2}(ttl|lifecycle rules?|lifecycle polic(y|ies)|(expiration|expiry) rules?|ilm polic(y|ies))\b/i,
        4,
      ],
      // What contradicts it: the cleanup itself failing or slowing down (it deleted nothing it should not).
      [
        /\b(cleanup|clean-up|purge|retention|lifecycle|janitor|reaper|sweeper) (job|script|task|cron|process|run)\b[^.]{0,60}\b(started timing out|timed out|timing out|failed|was failing|had failed|slowed|took (much )?longer|fell behind|stopped running)\b/i,
        -3,
      ],
    ],
  },
  {
    id: 'tombstones',
    theme: 'Tombstones slowing reads',
    description:
      'Deletes left tombstones (a tombstone marker for every deleted row or cell) that reads had to scan past, so read latency and timeouts grew.',
    category: 'software-bug',
    investment: 'Data-model review for delete-heavy access and compaction tuning',
    cues: [
      [/\btombstones?\b/i, 3],
      [/\b(gc_grace|compaction)\b/i, 1],
    ],
  },
  {
    id: 'dns-change',
    theme: 'DNS change or caching',
    description: 'A DNS record change, TTL or resolver cache sent clients to the wrong or stale address.',
    category: 'network',
    investment: 'DNS change safety: low TTLs before moves and resolver monitoring',
    cues: [
      [/\bdns\b[^.]{0,60}\b(ttl|cach\w*|record|resolv\w*|propagat\w*|stale|cname|zone)\b/i, 3],
      [/\bttls?\b[^.]{0,60}\b(nameservers?|records?|dns|delegation|resolvers?)\b/i, 2.5],
      [/\bcach\w*\b[^.]{0,40}\b(resolved|ip address(es)?|ips|lookups?)\b|\bnever re-?resolv\w*/i, 2.5],
      [/\b(nameservers?|delegation|re-?resolv\w*)\b/i, 1.5],
      [/\b(ttl|cach\w*|record|resolv\w*|cname)\b[^.]{0,40}\bdns\b/i, 2.5],
      [/\b(nxdomain|resolver|dns)\b/i, 1],
      // What contradicts it: a record that only proves a domain to a certificate authority (a DNS
      // validation or challenge record) belongs to a certificate's renewal, not to name resolution.
      [/\b(dns|domain)[- ](validation|challenge)\b|\bdns-01\b|\bacme challenge\b/i, -5],
    ],
  },
  {
    id: 'clock-skew',
    theme: 'Clock skew',
    description:
      'Clocks drifted apart or timestamps were wrong, and time-based logic (leases, tokens, ordering, last-write-wins, retention) broke.',
    category: 'software-bug',
    investment: 'Time synchronisation monitoring and skew-tolerant time logic',
    // Under last-write-wins a write stamped in the future beats every later edit and delete: a skewed
    // clock is the reason deleted data came back there.
    explains: ['deleted-data-resurrected'],
    cues: [
      [/\bclock (skew|drift)\b|\b(ntp|chrony)\b|\bclocks? (were|was) (off|behind|ahead)\b/i, 3],
      [/\bleap second\b/i, 3],
      // Structure: a timestamp from the future, what a skewed clock produces.
      [/\bnot[ _-]?yet[ _-]?valid\b|\b(iat|issued[- ]at|timestamps?|tokens?)\b[^.]{0,30}\bin the future\b/i, 3],
      // Structure: the time source itself broken, or a clock told as jumping or running ahead.
      [/\b(time[- ]sync\w*|ntpd|chronyd)\b[^.]{0,40}\b(disabled|stopped|off|not running|missing|broken|bug)\b/i, 4],
      [/\bclocks?\b[^.]{0,20}\b(jumped|ran|running|was|were|is) (\d+ \w+ )?(ahead|behind|fast|slow)\b/i, 3],
      // A clock told as drifting by an amount ("the VM's clock free-ran; it drifted 41 minutes ahead").
      [
        /\bclocks?\b[^.]{0,60}\b(drift(ed|ing)?|skewed|offset of)\b[^.]{0,30}\b(\d+ ?(ms|milliseconds?|s|seconds?|minutes?|hours?)|ahead|behind)\b/i,
        3,
      ],
      // Time-based logic that trusts the timestamps it is given.
      [
        /\b(last[- ]write[- ]wins|lww|wall[- ]clock timestamps?|(higher|highest|newer|newest|later|largest) (write )?timestamps?)\b/i,
        2,
      ],
    ],
  },
  {
    id: 'autoscaling-lag',
    theme: 'Demand outran scaling',
    description:
      'Traffic rose faster than autoscaling or provisioning could add capacity, so requests were shed or throttled.',
    category: 'capacity',
    investment: 'Load forecasting, pre-scaling and load tests ahead of peaks',
    cues: [
      [
        /\b(auto[- ]?scal\w*|scale[- ]out|scaling policy|scaled up too (slowly|late)|hpa)\b[^.]{0,80}\b(slow|late|lag\w*|behind|could not keep up|didn'?t keep up|too long|minutes)\b/i,
        3,
      ],
      [/\b(new )?capacity (took|arrived|came|was ready)\b[^.]{0,50}\b(minutes|late|after)\b/i, 3],
      [/\breactive\b[^.]{0,30}\bscal\w*|\bscal\w*\b[^.]{0,30}\breactive\b/i, 2],
      [/\b(traffic|load|demand|requests?)\b[^.]{0,40}\b(spike|surge|doubled|tripled|\d+x|jump\w*)\b/i, 1.5],
      [/\b(under-?provisioned|capacity (limit|ceiling)|provisioned (throughput|capacity))\b/i, 1.5],
    ],
  },
  {
    id: 'wrong-target',
    theme: 'Manual command run against the wrong target',
    description:
      'A person ran a command, script, console action or query against the wrong cluster, context, profile, workspace, account, environment or resource: one meant for staging, a sandbox or test ran against production.',
    category: 'operational-error',
    investment: 'Guardrails for manual operations: explicit targets, confirmation and two-person review',
    cues: [
      [
        // Not what was delivered to the wrong place ("invoices were served to the wrong account"): a symptom.
        /(?<!\b(?:served|sent|shown|delivered|displayed|routed|returned|e-?mailed|mailed|given|charged|billed|credited|posted)\s+(?:to|for)\s+(?:the\s+|a\s+)?)\bwrong (cluster|context|environment|database|region|account|host|server|table|namespace|bucket|target|workspace|project|subscription)\b/i,
        3,
      ],
      [
        /\b(current|active|kube|kubectl) context (was|pointed)\b|\b(i|he|she|they|we) (thought|assumed)\b[^.]{0,60}\b(staging|dev|test|perf|sandbox)\b|\b(believ\w*|thinking|assum\w*)\b[^.]{0,40}\b(workspace|context|profile|account|cluster|environment|shell|session|connection)\b[^.]{0,20}\b(was|were|is|pointed at) (the )?(staging|dev|test|perf|sandbox|qa)\b/i,
        3,
      ],
      [
        /\b(kubectl|kube) context\b|\bagainst (prod|production) (instead|rather than)\b|\bthought (it|they|he|she) (was|were) (in|on|connected to) (staging|dev|test)\b/i,
        3,
      ],
      // Structure: an action meant for a non-production environment done in production. It names
      // who did what, so it outweighs the technology the action happened to break.
      [
        /\b(intended|meant|supposed|planned) for (the |our )?(\w+ ){0,2}(qa|staging|test|testing|dev|development|perf|sandbox|load[- ]test|non-?prod\w*)\b[^.]{0,120}\b(production|prod)\b/i,
        6,
      ],
      [
        /\b(qa|staging|test|dev|sandbox|load[- ]test)\b( \w+){0,3} (env\w*|domain|cluster|namespace|account|project|zone)\b[^.]{0,120}\b(deleted|dropped|removed|ran|scaled|applied|executed|truncated)\b[^.]{0,80}\b(production|prod)\b/i,
        6,
      ],
      [/\b(my|his|her|their|the) (current |active )?context was (prod|production)/i, 3],
      // Structure: environments that look alike, or a target taken from whatever the shell holds.
      [
        /\b(staging|sandbox|test|dev|qa)\b[^.]{0,20}\band (prod|production)\b[^.]{0,80}\b(both|identical|same names?|overlapping|look(ed)? (alike|the same)|indistinguishable)\b|\b(built|created|cloned) as a copy of (prod|production)\b/i,
        3,
      ],
      [
        /\bwhatever (\w+ ){0,2}(credentials|profile|context|workspace|kubeconfig)\b[^.]{0,20}\b(the )?(shell|terminal|session|environment|laptop|machine)\b/i,
        2,
      ],
      [/\b(manual\w*|by hand|ad[- ]hoc|one-off)\b/i, 0.75],
    ],
  },
  {
    id: 'provider-outage',
    theme: 'Upstream provider outage',
    description: 'An external provider, vendor or upstream service failed, and the dependent service had no fallback.',
    category: 'dependency',
    investment: 'Graceful degradation and fallbacks for external providers',
    cues: [
      [
        /\b(provider|vendor|third[- ]party|upstream|saas|partner)\b[^.]{0,60}\b(outage|incident|went down|was down|failed|degrad\w*|unavailable|status page)\b/i,
        3,
      ],
      [
        /\b(outage|incident|degradation|failure)\b[^.]{0,30}\b(at|of|in) (our|the|a|their) ([\w-]+ ){0,3}(provider|vendor|upstream|cloud provider)\b/i,
        3,
      ],
    ],
  },
  {
    id: 'quota-limit',
    theme: 'Provider quota or rate limit reached',
    description: 'Usage reached a quota, account limit or API rate limit that nobody tracked, and calls were rejected.',
    category: 'capacity',
    investment: 'Quota inventory with usage alerts and limit increases ahead of need',
    cues: [
      [
        /\b(quota|rate limit|service limit|account limit|api limit|limit increase)s?\b[^.]{0,50}\b(hit|reached|exceed\w*|exhaust\w*|ran out)\b/i,
        3,
      ],
      [/\b(hit|reached|exceed\w*|exhaust\w*)\b[^.]{0,30}\b(quota|rate limit|service limit|account limit)s?\b/i, 3],
      [/\b429\b|\btoo many requests\b/i, 1],
      // Structure: usage told past a quota, or a fixed limit the provider or service enforces per
      // unit and growth reached ("the provider enforces a maximum count per broker ... hit the
      // ceiling", "a queue allows 120,000 messages in flight at one time").
      [/\b(over|past|above|beyond) (the |its |their |our )?(\w+ )?quotas?\b/i, 3],
      [
        /\b(provider|service|platform|vendor|cloud)\b[^.]{0,30}\b(enforces?|imposes?|caps?)\b[^.]{0,40}\b(maximum|max|limit|quota|cap|ceiling)\b/i,
        3,
      ],
      [
        /\ballows? (only |up to |roughly |about |around |at most )?(~ ?)?[\d,.]+k? (\w+ ){0,3}(at (one|a|any) time|per (second|queue|table|broker|node|account|partition|shard|instance))\b|\b(fixed|hard) (\w+ )?(quota|limit)s? per (\w+)\b/i,
        2,
      ],
      // A remedy that asks the provider for more names the fault: the quota was reached.
      [
        /\b(quota|limit) increase (request\w*|approved|filed|granted|raised|opened)\b|\b(requested|filed|approved|granted|raised) (a |the |an? )?(\w+ )?(quota|limit) increase\b/i,
        4,
      ],
    ],
  },
  {
    id: 'noisy-batch',
    theme: 'Batch job saturating a shared system',
    description:
      'A batch, backfill, report or maintenance job consumed the shared CPU, I/O or throughput that live traffic needed.',
    category: 'capacity',
    investment: 'Isolation and rate limits for batch work on shared systems',
    cues: [
      [
        /\b(batch|backfill|bulk|nightly|reindex\w*|report(ing)?|analytics|export|migration) (job|query|load|run|script|process)s?\b[^.]{0,80}\b(saturat\w*|consum\w*|starv\w*|hogg\w*|monopoli\w*|iops|cpu|throughput|competed)\b/i,
        3,
      ],
      [/\b(noisy neighbou?r)\b/i, 3],
      // Structure: bulk work (a scan, backfill, migration, export) that used up a provisioned rate.
      [
        /\b(scans?|backfills?|migrations?|exports?|imports?|reindex\w*|batch(es)?|bulk (\w+ )?(jobs?|loads?|writes?|updates?))\b[^.]{0,80}\bconsum\w*\b[^.]{0,40}\b(provisioned|read|write|throughput|capacity|iops|bandwidth)\b/i,
        3,
      ],
      // Or a provisioned rate told as used up entirely ("it was consuming all of the read units").
      [
        /\bconsum\w* (essentially |nearly |almost |practically |virtually )?(every|all|most)( of)? (the )?(\w+ ){0,2}(write|read|capacity|request|throughput) (units?|capacity)\b/i,
        3,
      ],
    ],
  },
  {
    id: 'slow-query',
    theme: 'Unindexed or runaway query',
    description:
      'A query without a usable index (dropped, hidden or never built), or with a bad plan, fell back to full scans that read far more than it should and saturated the database.',
    category: 'software-bug',
    investment: 'Query review, plan regression tests and slow-query alerting',
    cues: [
      [
        /\b(full table scan|sequential scan|seq scan|missing index|without an index|no index|query plan|plan regression|n\+1)\b/i,
        3,
      ],
      // Structure: full scans, or the index a query needs dropped, hidden or never built.
      [
        /\b(full (table |collection )?scans?|collscan|table scans?|(a|the) scan with a filter|fall\w* back to (a |full )?scans?)\b/i,
        3,
      ],
      [
        /\b(index(es)?|indices|gsi)\b[^.]{0,20}\b(was |were |is |are )?(dropped|deleted|removed|missing|invisible|hidden|never (created|built))\b|\bno (usable )?(\w+ )?index (existed|was there)\b/i,
        2,
      ],
      [/\bslow quer(y|ies)\b/i, 1.5],
    ],
  },
  {
    id: 'query-plan-flip',
    theme: 'The query planner switched to a bad plan',
    description:
      'The planner or optimizer chose a different, far worse plan for the same query (a generic plan for a skewed parameter, statistics missing after an upgrade, a new sample after ANALYZE), and the query went from milliseconds to seconds.',
    category: 'software-bug',
    alsoCategories: ['deployment', 'capacity', 'resource-exhaustion', 'operational-error'],
    investment:
      'Plan regression checks, statistics refreshed after upgrades and loads, and pinned plans for hot queries',
    // A full scan or a runaway query is what a bad plan looks like: the flip is the reason for it.
    explains: ['slow-query'],
    cues: [
      // A prepared statement's generic plan, the setting that governs it.
      [/\bgeneric plans?\b|\bplan_cache_mode\b|\bpreparethreshold\b/i, 3],
      // Structure: the planner or optimizer moved from one plan, index or scan to another, or the
      // plan itself said to have flipped, regressed or gone bad.
      [
        /\b(planner|optimi[sz]er|postgres(ql)?|mysql)\b[^.]{0,80}\b(switched|flipped|chose|picked|changed|moved) (from|to)\b[^.]{0,60}\b(plans?|index|scan|nested loop|seq(uential)? scan|full (table )?scan|hash join)\b|\b(query )?plans? (flip\w*|regress\w*)\b|\b(bad|wrong|worse|different|terrible) (query |execution )?plans\b/i,
        3,
      ],
      // The statistics the plan is chosen from: missing after an upgrade or a load, stale, or
      // recalculated from a new sample.
      [
        /\b(no|stale|missing|outdated|empty) (\w+ ){0,2}statistics\b|\bstatistics\b[^.]{0,40}\b(recalculated|resampled|rebuilt|were none|at all|reset|wiped)\b|\bwithout (running |an? )?analyze\b/i,
        2,
      ],
      [/\b(planner|optimi[sz]er)('s)? (estimate\w*|had no idea|misjudg\w*|mis-?estimat\w*)\b/i, 2],
    ],
  },
  {
    id: 'resource-leak',
    theme: 'Resource leaked until a limit',
    description:
      'A code path acquired a resource (memory, goroutines, threads, connections, file handles, channels, streams) and did not release it, so usage climbed steadily until a limit was reached, each restart hiding the leak for a while.',
    category: 'software-bug',
    alsoCategories: ['resource-exhaustion'],
    investment: 'Leak detection: resource-usage trend alerts and release-on-every-path reviews',
    explains: ['memory-exhaustion', 'connection-exhaustion'],
    cues: [
      // Structure: a resource noun with a leak verb, or one acquired and never given back.
      [
        /\b(goroutines?|threads?|connections?|file (descriptors?|handles?)|fds?|handles?|sockets?|channels?|memory|buffers?|listeners?|streams?)\b[^.]{0,30}\bleak\w*|\bleak\w*\b[^.]{0,30}\b(goroutines?|threads?|connections?|file (descriptors?|handles?)|fds?|handles?|sockets?|channels?|memory|buffers?|listeners?|streams?)\b/i,
        4,
      ],
      [
        /\b(never|not|wasn'?t|weren'?t|were not|was not)\b (being )?(closed|released|returned|freed|drained|cancel+ed)\b/i,
        2,
      ],
      [
        /\b(rose|climbed|grew|crept)\b[^.]{0,30}\b(steadily|in a straight line|linearly|every (hour|day)|since the (last|previous) restart)\b/i,
        1.5,
      ],
      // Structure: healthy after each restart for a while, then failing again; a leak told as such.
      [
        /\b(restart\w*|reboot\w*)\b[^.]{0,40}\b(fine|ok|healthy|normal)\b[^.]{0,10}\bfor (a few |several |some )?(hours|days)\b[^.]{0,30}\b(then|until|before)\b/i,
        2,
      ],
      [
        /\b(classic|slow|steady|obvious|textbook|gradual) leak\b|\bunclosed (\w+ )?(streams?|connections?|handles?|sockets?|files?|channels?|bodies|responses?)\b/i,
        2,
      ],
    ],
  },
  {
    id: 'shard-count',
    theme: 'Too many shards, indices or partitions for the cluster',
    description:
      'A layout of one index, shard or partition per tenant or per day multiplied their count until the fixed overhead of each one overwhelmed the cluster.',
    category: 'resource-exhaustion',
    alsoCategories: ['capacity'],
    investment: 'Shard and partition budgets with count alerting and consolidation',
    cues: [
      // Structure: a count of containers in the thousands, or their fixed per-unit overhead.
      [/\b\d{1,3}(,\d{3})+\+? (shards|indices|indexes|partitions|topics|tables|databases|schemas)\b/i, 3],
      [/\b\d{4,}\+? (shards|indices|partitions|topics)\b/i, 3],
      [
        /\b(per[- ](shard|index|partition)|each (open )?(shard|index|partition))\b[^.]{0,60}\b(overhead|heap|memory|cost)\b|\b(overhead|heap|memory|cost)\b[^.]{0,30}\bper (shard|index|partition)\b/i,
        2.5,
      ],
      [
        /\b(its|their) own (index|shard|partition|topic|table|database)\b|\b(index|shard|partition|topic|table)[- ]per[- ](tenant|customer|day|workspace|user|account)\b|\b(an? )?(index|shard|partition|topic|table) (for )?(each|every|per) (tenant|customer|day|workspace|user|account)\b/i,
        2,
      ],
    ],
  },
  {
    id: 'unacked-deliveries',
    theme: 'Unacknowledged deliveries piling up in the broker',
    description:
      'Consumers with no prefetch or QoS limit took messages faster than they acknowledged them, so unacked messages piled up in broker memory until it blocked publishers.',
    category: 'resource-exhaustion',
    alsoCategories: ['configuration-change', 'software-bug'],
    investment: 'Prefetch limits on every consumer and alerting on unacknowledged messages',
    cues: [
      // Structure: a consumer-side limit missing, and deliveries left unacknowledged.
      [
        /\b(unbounded|unlimited|no|missing|omitted|without( a)?|zero)( \w+)? (prefetch|qos|basic\.qos)( (limit|count|setting))?\b|\b(prefetch|qos)( (limit|count|setting))?\b[^.]{0,40}\b(unbounded|unlimited|omitted|missing|not set|0)\b/i,
        3,
      ],
      [
        /\bun-?ack(nowledg)?(ed)? (messages?|deliveries)\b[^.]{0,60}\b(pil\w*|accumulat\w*|grew|build\w*|memory|fill\w*)/i,
        3,
      ],
      [/\b(memory alarm|memory high watermark|publishers?\b[^.]{0,20}\bblocked)\b/i, 1],
    ],
  },
  {
    id: 'unthrottled-maintenance',
    theme: 'Background maintenance or data movement starved live traffic',
    description:
      "A store's own background work (compaction, vacuum, defragmentation, shard recovery, rebalancing, partition reassignment, streaming to a new node) ran unthrottled or at peak and took the disk, network or I/O that live requests needed.",
    category: 'capacity',
    alsoCategories: ['resource-exhaustion'],
    investment: 'Throttles on background maintenance and data movement, scheduled off peak',
    cues: [
      // Structure: the store's own maintenance or data movement, with its throttle missing, removed
      // or raised ("started without a replication throttle", "compaction_throughput ... to 0",
      // "pulled data ... at full speed"), told either way round ("unthrottled streaming").
      [
        /\b(compaction\w*|vacuum\w*|autovacuum\w*|defrag\w*|recover(y|ies)|reassign\w*|rebalanc\w*|balancer|chunk migrations?|relocat\w*|streaming|resync\w*|initial sync|repairs?|merges|shard (copies|copying|moves?|movement)|data movement|pulled data|moved the data)\b[^.]{0,100}(\bunthrottled\b|\bwithout (a |any |the )?([\w-]+ )?throttle\b|\bno (\w+ )?throttle\b|\bthrottl\w* (was |were )?(removed|disabled|off|raised|lifted)\b|\bset (\w+ ){0,3}to 0\b|\bto 0\b[^.]{0,30}\bunthrottled\b|\bas fast as\b|\bat full speed\b)/i,
        3,
      ],
      [
        /\b(unthrottled|full-speed)\s+(\w+\s+){0,2}(compaction|vacuum|recovery|reassignment|rebalanc\w*|relocation|streaming|resync|repair|data movement|copy)\b/i,
        3,
      ],
      // Or it took the shared resource that queries, reads or producers needed.
      [
        /\b(compaction\w*|vacuum\w*|autovacuum\w*|defrag\w*|recover(y|ies)|reassign\w*|rebalanc\w*|balancer|chunk migrations?|relocat\w*|streaming|resync\w*|initial sync|repairs?|merges|replication traffic|recovery traffic)\b[^.]{0,80}\b(saturat\w*|starv\w*|took all|competed with|used up|consumed)\b[^.]{0,60}\b(disks?|network|i\/o|io|iops|bandwidth|produce|queries|searches|reads|requests|traffic)\b/i,
        3,
      ],
    ],
  },
  {
    id: 'replica-resync-loop',
    theme: 'Replica full resynchronisation never completes',
    description:
      'A replica restarted its full sync or initial transfer over and over, because writes buffered during the transfer outgrew the limit and the primary dropped the link.',
    category: 'failover-replication',
    investment: 'Replication buffer limits sized to write rate times transfer time, with full-sync alerting',
    cues: [
      // Structure: a full transfer of a replica's data that does not finish, or repeats.
      [
        /\b(replicas?|followers?|secondar(y|ies))\b[^.]{0,40}\bnever (gets?|got|get) (through|past)\b|\b(full (re)?sync\w*|initial (sync|transfer)|entire dataset|whole dataset|resync\w*)\b[^.]{0,60}\b(over and over|again and again|in a loop|repeated\w*|never (complete|finish)\w*|start\w* over|from scratch)\b|\b(re-?send\w*|re-?transfer\w*|re-?cop\w*)\b[^.]{0,30}\b(entire|whole|full)\b[^.]{0,40}\b(replicas?|followers?)\b/i,
        3,
      ],
      [/\b(output buffer|replication buffer|backlog)\b[^.]{0,40}\blimit\b|\bbuffered writes\b/i, 1.5],
    ],
  },
  {
    id: 'retained-log-outrun',
    theme: 'A reader fell behind the log its source retains',
    description:
      'A replica, standby or stream reader fell further behind than the source keeps its log (oplog, binlog, WAL, backlog, stream retention), so the position it needed was removed and it had to resync from scratch or lost changes.',
    category: 'failover-replication',
    alsoCategories: ['data-loss-corruption'],
    investment: 'Log retention sized to the longest reader outage, with alerts on the retention window and reader lag',
    // A position that points into log the source no longer keeps reads as a lost offset too, and
    // the reader's lag as replication lag: the retention that the lag outran is why it was lost.
    explains: ['consumer-offsets', 'replication-lag'],
    cues: [
      // Structure: the position, segment or history a reader needed to resume from was already
      // removed from the source's log ("requested WAL segment ... has already been removed", "the
      // offset it needed was long gone from the backlog", "the history it needed no longer existed").
      // A committed offset that is itself gone ("the group's committed offsets were gone") is not
      // this: the log still held the data (consumer-offsets).
      [
        /\b(positions?|offsets?|tokens?|segments?|log files?|history|changes|entries|binlogs?|binary logs?)\b[^.]{0,60}\b(no longer exist\w*|already been (removed|purged|deleted|recycled|rotated))\b|\b(gone|removed|purged|rotated|dropped) (out )?(from|of) (the |its |their )?([\w-]+ )?(backlog|log|oplog|binlog|binary log|wal|stream|buffer)\b/i,
        3,
      ],
      // The retention window a reader must stay inside, or a reader that rolled past it.
      [
        /\b(oplog|binlog|binary log|wal|backlog|log|stream|retention) window\b|\b(rolled|rolls|fell|falls|fallen) (past|off|out of)\b[^.]{0,30}\b(oplog|binlog|wal|log|backlog|window|retention)\b|\btoo stale\b/i,
        1.5,
      ],
      [/\bcould (never|not) catch up\b[^.]{0,40}\b(because|since|as)\b/i, 1],
      // Structure: queued messages that expired or aged out because nothing read them in time.
      [
        /\b(messages|events|records)\b[^.]{0,30}\b(expired|aged out|were (removed|deleted|dropped))\b[^.]{0,40}\b(because|as|since) (nothing|no one|nobody|no consumer)\b[^.]{0,20}\b(consumed|read|processed)\b|\bexpired (unread|unconsumed|before (anyone|anything|they were) (read|consumed|processed)\w*)\b/i,
        3,
      ],
      // A retention setting told with the reader's pause or lag it had to outlast ("retention.ms set
      // to 3 days ... the consumer is always a few seconds behind").
      [
        /\b(retention(\.(ms|hours|minutes|bytes))?|message retention|retention period)\b[^.]{0,120}\b(consumers?|readers?|subscribers?)\b[^.]{0,60}\b(paused|behind|stopped|offline|lagg\w*)\b/i,
        2,
      ],
      // The reader's last position is older than the oldest the source still holds.
      [
        /\b(last|latest|newest|stored|committed|resume) (\w+ ){0,2}(entry|position|offset|record|change|segment|token)\b[^.]{0,40}\bolder than the (oldest|earliest|first)\b/i,
        3,
      ],
    ],
  },
  {
    id: 'access-rule-lockout',
    theme: 'An access rule stopped granting a principal the service needs',
    description:
      'A permission, policy, role or ACL was tightened, replaced or revoked and no longer granted a principal the service depends on, so its own reads or writes were denied (access denied, not authorized, permission denied, 403).',
    category: 'configuration-change',
    alsoCategories: ['operational-error', 'deployment'],
    investment: 'Access changes checked against every principal that uses the resource, with a dry run first',
    cues: [
      // The store's own refusal of a principal, in the error it logs (an error code, a denial on a
      // named kind of object); a person told "access denied" at a login page is not this.
      [
        /\b(accessdenied(exception)?|\w*authori[sz]ationexception|permission denied for (table|relation|schema|database|sequence|function|bucket|topic|collection|index)|not authori[sz]ed (on|to)|is denied operation|insufficient (privileges|permissions))\b/i,
        2,
      ],
      // Structure: a policy, role, grant or ACL changed so that it no longer lets a principal in.
      [
        /\b(bucket polic(y|ies)|access polic(y|ies)|iam polic(y|ies)|trust polic(y|ies)|acls?|custom role|roles?|grants?|privileges?)\b[^.]{0,60}\b(revok\w*|was removed|were removed|dropped|replaced|tightened|rewritten|no longer (grant\w*|allow\w*|includ\w*|match\w*)|did not (grant|allow|include))\b/i,
        2.5,
      ],
      // Structure: a deny that matched legitimate callers, an allow limited by a condition, or a grant
      // that covered one part and not the part the service uses.
      [
        /\b(explicit )?deny( statement)?\b[^.]{0,60}\b(overrides?|overrode|for (any|every|all)|match\w*)\b|\ballows? \S+ only (when|if|from)\b|\baws:(sourcevpce|principalorgid|sourceip|sourcevpc)\b|\b(grant\w*|had|allowed)\b[^.]{0,80}\bbut (not|no)\b[^.]{0,40}\b(on|to|for)\b/i,
        2.5,
      ],
    ],
  },
  {
    id: 'promoted-lagging-replica',
    theme: 'Failover promoted a replica missing acknowledged writes',
    description:
      'A failover promoted an asynchronous replica that was behind the primary, so writes already acknowledged to clients were missing on the new primary.',
    category: 'failover-replication',
    alsoCategories: ['data-loss-corruption', 'operational-error'],
    investment: 'Failover that checks replica lag, synchronous commit for critical writes and failover drills',
    cues: [
      // Structure: a promotion of a replica together with its lag or the writes it did not have.
      [
        /\bpromot\w*\b[^.]{0,80}\b(behind|lag\w*|without (seeing|checking)\b[^.]{0,20}\blag|missing|not (yet )?(replicated|applied))\b|\b(behind|lag\w*)\b[^.]{0,80}\bpromot\w*/i,
        3,
      ],
      [
        /\bpromot\w*\b[^.]{0,40}\b(replica|standby|secondary|follower)s?\b|\b(replica|standby|secondary|follower)s?\b[^.]{0,40}\bpromot\w*/i,
        2,
      ],
      // Structure: a member made leader while behind (an election, not a promotion by name), or the writes the new
      // primary never had rolled back on the old one when it rejoined.
      [
        /\b(elect\w*|made|chose|became)\b[^.]{0,40}\b(leader|primary|master)\b[^.]{0,60}\b(behind|lagg\w*|out[- ]of[- ]sync)\b|\bunclean (leader )?election\b/i,
        3,
      ],
      [
        /\b(writes|documents|transactions|rows)\b[^.]{0,40}\bnew (primary|leader|writer|master) (never|did not|didn't) (saw|see|have|had|got|get|receive\w*)\b|\brolled (them |those writes |the writes )?back\b[^.]{0,40}\brejoin/i,
        2.5,
      ],
      [/\brolling (those |the )?writes back\b|\brollback files?\b/i, 2.5],
      [
        /\b(write concern|writeconcern)\s*(of\s*)?(w\s*:\s*1|1)\b|\bw\s*:\s*1\b|\bwithout waiting (to hear )?(that |for )?(any|a) (secondary|replica|follower)\b/i,
        2,
      ],
      // Structure: what the old primary held gone from the new one, or cut away to follow the new leader; a leader
      // chosen from outside the in-sync set.
      [
        /\b(gone|missing|absent|lost) (from|on) the new (writer|primary|leader|master)\b|\b(truncat\w*|discard\w*)\b[^.]{0,40}\bto match the new (leader|primary)\b|\b(not in|out of) the isr\b[^.]{0,80}\bleader\w*|\bleader\w*\b[^.]{0,80}\b(not in|out of) the isr\b/i,
        3,
      ],
      // Structure: writes that existed only on the primary that failed, never replicated before the switch.
      [
        /\b(held|kept|stored|lived|exist\w*|were|was) only (in|on) the (old |former |previous |failed )?(primary|leader|master)\b/i,
        3,
      ],
      [
        /\b(acknowledged|committed|confirmed) (writes|transactions|rows|payments)\b[^.]{0,60}\b(missing|lost|gone)\b|\blag (allowance|limit|threshold)\b|\b\d+ ?[kmg]b allowance\b/i,
        1.5,
      ],
      // What contradicts it: a promotion that lost nothing.
      [
        /\b(fully caught up|no (transactions|writes|data) (were )?lost|with no (data|transactions?|writes) lost)\b/i,
        -4,
      ],
    ],
  },
  {
    id: 'shared-failure-domain',
    theme: 'Replicas or quorum members shared one failure domain',
    description:
      'Members or replicas meant to be spread across zones, racks or rows sat in one of them (a placement rule lost, rack awareness unset, a replacement launched next to another member), so a single zone, rack or switch failure took a majority or every copy.',
    category: 'failover-replication',
    alsoCategories: ['configuration-change', 'network', 'dependency'],
    investment: 'Placement checks that keep replicas and quorum members in separate failure domains',
    cues: [
      // Structure: two or all of the members or replicas in one zone, rack, row or host.
      [
        /\b(two|both|three|all( three| of)?|every)\b[^.]{0,30}\b(members?|replicas?|servers?|brokers?|nodes?|copies)\b[^.]{0,40}\b(in|on) (the same|one|a single) (zone|rack|row|availability zone|az|host|data ?cent\w*|failure domain)\b|\b(two|both) of (them|the \w+|its \w+) (were|was|sat|lived|are) in (zone|rack|row|az|the same)\b|\ball (three |its |their )?replicas (on|in) (brokers|hosts|nodes|servers) in\b/i,
        3,
      ],
      // The placement setting that spreads them, unset, dropped or mismatched.
      [
        /\b(broker\.rack|rack ids?|rack awareness|rack-aware\w*|snitch|placement (rule|check|constraint)s?|zone map|topology spread\w*)\b[^.]{0,60}\b(unset|missing|not set|without|didn't make|did not make|dropped|lost|wrong|differ\w*)\b|\bwithout rack (info\w*|ids?|awareness)\b/i,
        3,
      ],
      // A replacement launched into the zone where another member already lived.
      [
        /\b(landed|launched|placed|pinned|scheduled|rebuilt)\b[^.]{0,60}\b(zone|rack|row|az)\b[^.]{0,40}\b(next to|where|alongside)\b[^.]{0,30}\b(member|node|server|broker|replica|zk-\w+|already)\b/i,
        3,
      ],
    ],
  },
  {
    id: 'rolling-restart',
    theme: 'Rolling restart outpaced recovery',
    description:
      'A rolling restart, upgrade or patch moved on to the next node once the previous one was merely up, before it had rejoined and caught up, so too few replicas or quorum members were left.',
    // The rollout process itself (bad ordering, gated on "up" not "caught up"): deployment in
    // docs/taxonomy.md. Filed under operational-error before; labels name deployment or
    // failover-replication for these (5 of 7 development cases each), operational-error once.
    // Leave one set out over the seven development sets: 0.769 to 0.778 (dev-a +1, dev-c +1,
    // dev-d +2, patterns-dev-2 +1, no set lower).
    category: 'deployment',
    alsoCategories: ['operational-error', 'configuration-change', 'failover-replication'],
    investment: 'Rolling procedures gated on replicas in sync and quorum healthy, not on a node being up',
    cues: [
      // Structure: the next node taken down while the previous one was still catching up.
      [
        /\b(restart\w*|reboot\w*|took down|taking down|tak(e|es) down|stopp\w*|bounc\w*|upgrad\w*|patch\w*)\b[^.]{0,60}\b((faster than|before)\b[^.]{0,40}\b(could |had |has |have |it |they )?(rejoin\w*|re-?sync\w*|catch(es)? up|caught up|recover\w*|get back in\w*)|while\b[^.]{0,40}\bstill (rejoin\w*|re-?sync\w*|catching up|recovering|fetching|replaying|syncing|behind))\b/i,
        3,
      ],
      // A gate between nodes that checks only that a node is up (a process, a port, Ready, joined).
      [
        /\b(wait\w*|gate\w*|check\w*)\b[^.]{0,50}\b(port( \d+)? (accepts|accepted|is open|was open|opens)|accepts? connections|reports? ready|(node|member|broker|replica|instance) (is |was )?(ready|up|back)|(last|previous) one (joined|was up|came (back|up)))\b|\b(node|member|broker|replica|instance)s?\b[^.]{0,10}\bas (back|up|ready|healthy|done)\b|\bbetween (nodes|members|brokers|steps)\b[^.]{0,40}\bprocess (was |is )?running\b/i,
        2,
      ],
      // Structure: the gate the procedure needed between nodes ("it should wait for the replicas to
      // resync before stopping the next broker"), or a roll said to have gone too fast.
      [
        /\b(wait\w*|needs?|needed|must|should|until)\b[^.]{0,80}\bbefore\b[^.]{0,30}\bnext (node|member|broker|host|server|instance|replica)\b|\b(roll\w*|restart\w*|upgrad\w*|patch\w*|reboot\w*)\b[^.]{0,20}\btoo (quickly|fast|soon)\b/i,
        2,
      ],
      // A node back from a restart that needs time to catch up, and a procedure that goes node by node.
      [
        /\b(restart\w*|reboot\w*|upgrad\w*|patch\w*)\b[^.]{0,80}\b(rejoin\w*|re-?sync\w*|catch(es|ing)? up|caught up|snapshot|far behind|recover(ing|y))\b/i,
        1.5,
      ],
      [
        /\b(rolling (restart|upgrade|reboot|patch)\w*|one (node|member|broker|host|server|instance) at a time|(the )?next (node|member|broker|host|server|instance)|between (nodes|members|brokers|hosts|steps)|node by node)\b/i,
        1,
      ],
      // Structure: a member taken out while another was still coming back ("restarted zk-b while zk-a
      // was still loading its snapshot"), removed before its replacement could start or join, or
      // restarts run back to back.
      [
        /\b(restart\w*|remov\w*|replac\w*|took down|stopp\w*|patch\w*|went down)\b[^.]{0,60}\bwhile\b[^.]{0,40}\bstill (loading|bootstrapping|starting|joining|coming (back|up))\b|\b(remov\w*|replac\w*|add\w*)\b[^.]{0,40}\b(members?|nodes?|voters?)\b[^.]{0,30}\bbefore (it|the \w+|its replacement|the new \w+) (can|could|had) (actually )?(start\w*|join\w*|catch up|caught up)\b|\b(ran|restarted|did) them back to back\b/i,
        3,
      ],
      // How it shows: a majority of the members out at once (supporting; a lost zone does this too).
      [
        /\b(two|both|three|a majority) of (the )?(three|four|five|its \w+|them)\b[^.]{0,40}\b(down|out|gone|missing|lost)\b|\bno (quorum|majority)\b|\b(lost|without) quorum\b|\bcould not (form|make) (a )?(quorum|majority)\b/i,
        1.5,
      ],
    ],
  },
  {
    id: 'item-size-limit',
    theme: 'Item outgrew the per-item size limit',
    description:
      'A single item, record, document or message that grew with use (an appended list, a whole snapshot, a manifest of every file) reached the size limit of one item, and every write of it was rejected.',
    category: 'resource-exhaustion',
    alsoCategories: ['software-bug', 'configuration-change', 'capacity'],
    investment: 'Bounded item sizes: split growing lists out, page snapshots, pass references instead of payloads',
    cues: [
      // Structure: one item and a size in bytes, a size limit or "too large".
      [
        /\b(caps?|capped|limits?|limited|max(imum)?|rejects?|refuses?)\b[^.]{0,30}\b(single|one|each|every|any|an?|the|per)\s+(\S+\s+){0,2}(item|record|document|message|row|object|value|payload|entry)s?\b[^.]{0,40}\b\d+(\.\d+)? ?(kb|mb|kib|mib|bytes)\b|\b(single|one|each|every|any|an?|the|per)\s+(\S+\s+){0,2}(item|record|document|message|row|object|value|payload|entry)s?\b[^.]{0,30}\b(over|above|larger than|bigger than|exceed\w*|up to|at most|limit\w*|caps?|capped)\b[^.]{0,20}\b\d+(\.\d+)? ?(kb|mb|kib|mib|bytes)\b|\b(item|record|document|message|row|object|value|payload|entry)s?( \w+){0,2} (is |was |were |are |became )?(too (large|big)|size (limit|cap))\b/i,
        3,
      ],
      [
        /\b(\d+(\.\d+)? ?(kb|mb|kib|mib) (size )?(limit|cap|max\w*|ceiling)|size (limit|cap))\b[^.]{0,40}\b(single|one|each|per|an?) (\S+ ){0,2}(item|record|document|message|row|object|payload|entry)\b/i,
        3,
      ],
      [
        /\b\d+(\.\d+)? ?(kb|mb|kib|mib)\b (\S+ ){0,2}(item|record|document|message|row|object|payload|entry|value)\b[^.]{0,60}\b(refus\w*|reject\w*|too large|fail\w*|exceed\w*)/i,
        3,
      ],
      // Structure: the item's own size past the maximum ("the record size had exceeded the
      // limit"), or one item refused for being larger than a configured maximum ("the server
      // refuses any message larger than its max setting").
      [
        /\b(item|record|document|message|row|object|value|payload|entry|packet)( \w+)? size (has |had |was |is )?(exceed\w*|gone past|grown past|grew past)|\bexceed\w* the (maximum|max) (allowed |permitted )?(\w+ )?size\b|\b(any|every|each|an?|one|single) (\S+ ){0,2}(item|record|document|message|row|object|value|payload|entry|packet)s? (larger|bigger) than\b/i,
        3,
      ],
      // The store's own refusal by name ("RecordTooLargeException", "request is too large"), a per-item
      // ceiling stated as what every item has ("items have a hard 400 KB size limit"), a size setting
      // of the technology, or a size in bytes larger than a maximum.
      [
        /\b\w*(record|request|message|entity|item|payload)(size)?toolarge\w*\b|\b(request|record|message|item|payload|event|batch)s? (is |was |were |are )?too large\b|\b(items?|records?|documents?|messages?|rows?|objects?|payloads?|entr(y|ies)|requests?) (have|has|carry|carries) (a |an )?(hard |fixed |strict )?\d+(\.\d+)? ?(kb|mb|kib|mib)( size)? (limit|cap|ceiling|maximum)\b|\b\d{4,} bytes\b[^.]{0,60}\b(larger|bigger|more) than\b|\b(rejects?|refuses?)\b[^.]{0,20}\b(any|every|each|a) (single )?requests? (over|above|larger than|bigger than)\b[^.]{0,20}\b\d+(\.\d+)? ?(kb|mb|kib|mib)\b/i,
        3,
      ],
      [
        /\b(max\.message\.bytes|message\.max\.bytes|max\.request\.size|max_allowed_packet|item_size_max|http\.max_content_length)\b/i,
        2,
      ],
      // What grows inside it: a list, an array, a history kept in one item.
      [
        /\b(ever[- ]growing|unbounded|growing|append\w*|full|entire|whole|complete)\b[^.]{0,40}\b(list|array|set|map|history|log|manifest|snapshot|catalog)\b[^.]{0,40}\b(inside|in|within|into) (\S+ ){0,2}(item|record|document|message|row|object|value)\b|\b(item|record|document|message|row|object|value)( body)?\b[^.]{0,30}\b(contains|holds|carries|stores|keeps)\b[^.]{0,20}\b(the )?(full|entire|whole|complete|every|ever[- ]growing)\b[^.]{0,20}\b(list|array|set|history|manifest|snapshot|catalog)\b/i,
        2,
      ],
    ],
  },
  {
    id: 'default-limit',
    theme: 'Limit left at its default crossed by growth',
    description:
      'A limit nobody chose stayed at its shipped default until growth crossed it, and the technology refused new work.',
    category: 'resource-exhaustion',
    alsoCategories: ['configuration-change', 'capacity'],
    investment: 'An inventory of default limits with usage alerts and deliberate values',
    cues: [
      // Structure: a limit and its default, or a limit nobody ever set.
      [
        /\b(default|defaults|shipped|out[- ]of[- ]the[- ]box|never (been )?(set|changed|tuned|raised|configured)|nobody (set|chose|changed|raised))\b[^.]{0,40}\b(limits?|caps?|ceilings?|max\w*)\b/i,
        2.5,
      ],
      [
        /\b(limits?|caps?|ceilings?|max\w*)\b[^.]{0,60}\b(defaults? (to|of|value)|(left|still|stayed|kept) at (its|the) default|shipped default)\b/i,
        2.5,
      ],
      // A setting named for a maximum, and the work refused once it was crossed.
      [/\bmax\w*[._]\w|\w[._]max/i, 1],
      [/\btoo[ _]many[ _]\w+|\bout of (shared memory|slots|\w+ slots)\b/i, 1],
    ],
  },
  {
    id: 'consumer-offsets',
    theme: 'Consumer position lost or reset',
    description:
      'A consumer group lost or moved its committed position (offsets expired, the group renamed, a manual reset), so it replayed or skipped messages.',
    category: 'configuration-change',
    alsoCategories: ['operational-error', 'deployment', 'data-loss-corruption'],
    investment: 'Committed positions that outlive downtime, explicit reset policies and replay checks',
    cues: [
      // Structure: the committed position itself removed, expired or reset.
      [
        /\b(offsets?|committed positions?|checkpoints?|cursors?|resume tokens?)\b[^.]{0,40}\b(expir\w*|lost|removed|deleted|reset|gone|not synced|never synced|rewound)\b/i,
        4,
      ],
      [
        /\bauto\.offset\.reset\b|\breset[- ]offsets?\b|\b(reset|rewound|rewind)\b[^.]{0,30}\b(to (the )?)?(earliest|latest|beginning|oldest)\b/i,
        3,
      ],
      [
        /\b(replay\w*|rewind\w*|re-?consum\w*|reprocess\w*)\b[^.]{0,20}\b(the )?(consumer )?(group|offsets?|topic|partitions?)\b[^.]{0,60}\bfrom\b/i,
        2,
      ],
      [/\b(group\.id|group id|consumer group( name)?)\b[^.]{0,40}\b(renam\w*|chang\w*|derived|new)\b/i, 2],
      // The setting that expires a group's committed offsets while it is stopped.
      [/\boffsets\.retention\.(minutes|ms|hours)\b/i, 2],
    ],
  },
  {
    id: 'orphaned-lock',
    theme: 'Lock or lease never released by its holder',
    description:
      'A lock or lease taken by a process that died or hung was not released (no expiry, an expiry far too long, a holder connection that never closed), so every other worker waited on it.',
    category: 'software-bug',
    alsoCategories: ['configuration-change', 'resource-exhaustion', 'failover-replication'],
    investment: 'Locks and leases with short expiries, renewals and fencing',
    cues: [
      // Structure: a lock that outlived its holder, or one with no expiry.
      [
        /\b(lock|lease)s?\b[^.]{0,30}\b(never (went away|released|expired|cleared|freed|dropped)|not released|stayed|remained|persisted|lingered|still had|was still held)\b|\b(lock|lease)s?\b[^.]{0,20}\b(with |has |had )?(no|without( an?)?) (expiry|ttl|timeout|expiration)\b|\b(no|without( an?)?) (expiry|ttl|timeout|expiration)\b[^.]{0,30}\b(lock|lease)s?\b/i,
        3,
      ],
      [
        /\b(process|holder|owner|leader|worker|pod|instance|job)\b[^.]{0,30}\b(was gone|had gone|died|crashed|was killed|had died|hung|dead)\b[^.]{0,60}\b(lock|lease)s?\b|\b(lock|lease)s?\b[^.]{0,40}\bheld by (a|the) (\w+ )?(process|holder|worker|pod|instance|leader|job|run)\b[^.]{0,20}\b(died|crashed|was killed|hung|had died|exited)\b/i,
        2.5,
      ],
      [
        /\b(lock|lease)s?\b[^.]{0,20}\b(ttl|timeout|expiry)\b[^.]{0,20}\b[\d,]+ ?(seconds|s|minutes|min|hours?)\b|\b(lock|lease)s?\b[^.]{0,80}\bonly when\b[^.]{0,40}\b(expir\w*|closes?|disconnect\w*|ends?)\b/i,
        2,
      ],
      [
        /\b(advisory locks?|ephemeral (node|znode)s?|setnx|set nx)\b|\b(wait\w*|blocked|stuck)\b[^.]{0,30}\b(for|on|behind)\b[^.]{0,30}\block\b/i,
        1.5,
      ],
    ],
  },
  {
    id: 'poison-message',
    theme: 'Poison message blocking ordered consumption',
    description:
      'One message, record or batch that always fails processing was retried or redelivered again and again at the head of an ordered queue, stream or partition, and everything behind it waited.',
    category: 'software-bug',
    alsoCategories: ['configuration-change', 'deployment', 'data-loss-corruption'],
    investment: 'Bounded retries with dead-letter queues and alerting on messages parked there',
    cues: [
      // Structure: the consumer cannot move past one item, so the rest waits behind it.
      [
        /\b(not|never|won'?t|doesn'?t|does not|cannot|can'?t|could not|couldn'?t) (move|get|skip|advance|proceed)( on)? (past|beyond|over) (a|the|that|one|this) (\w+ ){0,2}(message|record|event|batch|item)\b/i,
        3,
      ],
      [
        /\b(messages?|records?|events?|items?|batch(es)?)\b[^.]{0,30}\b(wait\w*|queued|stuck|blocked|stalled|piled up)\b[^.]{0,20}\bbehind (it|them|the|that|this|one|a)\b|\bbehind (the|that|this|one|a) (\w+ ){0,2}(message|record|event|item|batch)\b[^.]{0,60}\b(wait\w*|queued|stuck|blocked|stalled)\b/i,
        3,
      ],
      // The same item handed back again and again, or one that can only ever fail.
      [
        /\b(retr\w*|redeliver\w*|re-?queu\w*|re-?process\w*|receiv\w*)\b[^.]{0,40}\b(the|that|this) same (\w+ ){0,2}(message|record|event|batch|item)\b|\bsame (message ?id|message|record|batch|event)\b[^.]{0,30}\b(received|redelivered|retried|requeued)\b/i,
        2,
      ],
      [
        /\b(messages?|records?|events?|batch(es)?|items?)\b[^.]{0,30}\b(always fails|fails every time|can never succeed|will never succeed)\b|\bfails every time\b/i,
        2,
      ],
      [/\b(poison(ed)?|malformed|unparseable) (messages?|records?|events?|items?|payloads?|batch(es)?)\b/i, 1.5],
      [/\b(no|without( a)?|missing)( \w+)? (dead[- ]letter|dlq|redrive)\b/i, 1.5],
    ],
  },
  {
    id: 'volatile-store-data-loss',
    theme: 'Data held only in a cache or volatile store lost',
    description:
      'Data kept only in a cache or an in-memory store without persistence was treated as durable, and lost when the store did what it is allowed to: evict, restart empty, or resync replicas from an empty primary.',
    category: 'data-loss-corruption',
    alsoCategories: ['configuration-change', 'failover-replication', 'resource-exhaustion'],
    investment: 'A durable copy of every dataset, and persistence or replicas on stores that hold the only copy',
    explains: ['memory-exhaustion'],
    cues: [
      // Structure: the only copy of the data held in a store that may lose it.
      [
        /\b(held|kept|stored|lived?|living|exist\w*) only in\b(?! the (old |former |previous |failed )?(primary|leader|master)\b)|\bonly copy\b|\b(treated|used|relied on) as (a |the )?(durable|persistent|permanent|source of truth|database|system of record)\b/i,
        3,
      ],
      // The same exclusivity told the other way round: kept in one store "and nowhere else".
      [
        /\b(held|kept|keeps?|stored|stores?|lived?|living|exist\w*|are|is|were|was) ([\w-]+ ){0,3}in\b[^.;]{0,80}\b(and|but) nowhere else\b/i,
        3,
      ],
      [
        /\b(persistence|rdb|aof|append-only file|snapshotting)\b[^.]{0,30}\b(switched off|turned off|disabled|off)\b|\bno (rdb|aof|persistence|append-only file)\b/i,
        3,
      ],
      [
        /\b(master|primary|node|instance|server|process|cache|replica|shard|store|database)s?\b[^.]{0,40}\b(came up|came back|restarted|started|starting|returned|rebooted)\b[^.]{0,30}\b(with an? )?empty\b|\bempty (dataset|master|primary|node|instance)\b/i,
        3,
      ],
      [/\b(is |was |are |were )?(allowed|free|permitted) to (delete|evict|drop|discard|lose|forget)\b/i, 2],
      // Structure: state that must outlive the cache (idempotency keys, locks, tokens, counters)
      // thrown away by its eviction, told either way round ("the pool evicted those keys long before
      // their expiry", "idempotency state lived in a cache configured to evict any key when full").
      [
        /\b(idempotency|lock keys?|locks|tokens?|counters?|state)\b[^.]{0,80}\b(evict\w*|allkeys-lru|thr(ew|own|owing) (\w+ ){0,3}(away|out))\b|\b(evict\w*|allkeys-lru|thr(ew|own|owing) (\w+ ){0,3}(away|out))\b[^.]{0,80}\b(idempotency|lock keys?|locks|tokens?|counters?)\b/i,
        3,
      ],
    ],
  },
  {
    id: 'integer-id-overflow',
    theme: 'Integer id column reached the top of its type',
    description:
      'An id, key or sequence stored in a 32-bit integer column (serial, int4, INT auto-increment, or a foreign key to one) reached 2,147,483,647, the maximum value of its type, and every insert failed.',
    category: 'resource-exhaustion',
    alsoCategories: ['software-bug', 'capacity'],
    investment: 'Range checks on every integer key, with 64-bit ids for anything that grows',
    cues: [
      // Structure: the id space of a column used up, told by the error or as running out.
      [
        /\binteger out of range\b|\b(ran|run|runs|running) out of (integer |int4? |32-bit )?(ids|id values|keys|sequence values)\b|\bduplicate entry '?2,?147,?483,?647\b/i,
        3,
      ],
      // The id, key or sequence reaching the maximum of its type.
      [
        /\b(auto[-_ ]?increment\w*|sequences?|serial|ids?|keys?|counters?)\b[^.]{0,60}\b(reached|hit|hits|passed|crossed|stops? at|stopped at|overflow\w*|handed out)\b[^.]{0,30}\b((the )?(column |type |int |integer )?(maximum|max|ceiling)( value)?|2,?147,?483,?64[78]|2\^31|(the )?last value)\b|\b(auto[-_ ]?increment|serial|int4?|integer) (\w+ )?(key|id|column)s? (was |were |is )?(exhausted|overflow\w*|maxed out)\b/i,
        3,
      ],
      // An id or key column of a 32-bit type.
      [
        /\b(serial|int4|int|integer|32-bit( signed)?( integer)?|signed int(eger)?)\b[^.]{0,40}\b(primary key|id column|key column|foreign key|auto[-_ ]?increment|sequence)\b|\b(primary key|id column|key column|foreign key column|id|key)\b[^.]{0,40}\b(is|was|are|were)( still)? (an? )?(serial|int4|integer|int|32-bit)\b/i,
        2,
      ],
      [/\b2,?147,?483,?64[78]\b|\b2\^31\b|\bint4\b/i, 1],
    ],
  },
  {
    id: 'upgrade-changed-default',
    theme: 'Server upgrade changed a default',
    description:
      'A new version of the server changed a default (a permission or grant, a collation, an ACL, a timeout) that applications relied on without setting it, and the first operation that needed the old default failed after the upgrade.',
    category: 'deployment',
    alsoCategories: ['configuration-change', 'software-bug'],
    investment: 'Upgrade reviews of changed defaults, with every relied-on setting pinned explicitly',
    cues: [
      // Structure: a version told as the agent of a changed default ("8.0 changed the default
      // collation", "since version 15 it no longer grants ... by default", "newer versions default it to").
      [
        /\b(v?\d+(\.\d+)*|versions?|releases?)\b[^.]{0,20}\b(changed|changes|flipped|switched)\b[^.]{0,30}\bdefault\b|\b(since|from|as of|starting with|in) (\w+ ){0,2}v?\d+(\.\d+)*\b[^.]{0,60}\b(no longer|now)\b[^.]{0,60}\bdefault\b|\b(newer|new|later) versions? (now )?default\b/i,
        3,
      ],
      // The default met after the upgrade ("the first night after the upgrade it picked up the new default").
      [
        /\b(after|since) the (\w+ ){0,3}upgrade\b[^.]{0,60}\bdefault\b|\bdefault\b[^.]{0,60}\b(after|since) the (\w+ ){0,3}upgrade\b/i,
        2,
      ],
      [/\b(the )?(old|new|previous|former) default( (grant|collation|value|setting|behaviou?r))?\b/i, 1],
      // What contradicts it: the server untouched, the change in a client library or driver, or
      // the default of a connection pool (a client's setting, not the server's).
      [
        /\b(servers?|cluster|brokers?|nodes?)\b[^.]{0,20}\b(were|was) not (upgraded|changed|restarted)\b|\b(client|driver|library|sdk)\b[^.]{0,30}\b(major )?version\b[^.]{0,40}\bdefault|\bdefault (\w+ ){0,2}pool\b|\bpool (size|limit|max\w*)\b[^.]{0,40}\bdefault\b/i,
        -3,
      ],
    ],
  },
  {
    id: 'huge-transaction-replication',
    theme: 'One huge write stalled replication',
    description:
      'One very large write (a purge, backfill, bulk update or table-copying change in a single transaction or statement) was replicated as one unit that replicas, secondaries or a decoder had to apply serially, so every later change waited behind it.',
    category: 'failover-replication',
    alsoCategories: ['operational-error', 'deployment', 'capacity', 'resource-exhaustion'],
    investment: 'Chunked writes for purges and backfills, with replication lag checked between chunks',
    explains: ['replication-lag'],
    cues: [
      // Structure: one transaction, statement or commit, and its size (rows, documents, bytes).
      [
        /\b(single|one|a single) (\w+ ){0,2}(transaction|statement|commit|update|delete|ddl|alter)\b[^.]{0,80}\b(\d+(\.\d+)? ?(gb|tb|m|million|billion)|millions)\b|\b\d+(\.\d+)? ?(gb|tb|m|million|billion)\b[^.]{0,40}\b(for|in) (a single|one) (commit|transaction|statement)\b|\b(delete|update|insert|purge|backfill)\w* of \d+(\.\d+)? ?(m|million|billion) (\w+ ){0,3}(rows|documents|records|items)\b[^.]{0,30}\b(in|as) (one|a single) (statement|transaction|commit)\b|\b(one|a single) \d+(\.\d+)? ?(m|million|billion)-row (transaction|statement|delete|update)\b/i,
        4,
      ],
      [
        /\b(bulk|mass|one|a single|single)\b[^.]{0,20}\b(update\w*|delete\w*|insert\w*|write\w*|backfill\w*|purge\w*)\b[^.]{0,20}\bof \d+(\.\d+)? ?(m|million|k|thousand|billion)? (documents|rows|records|items)\b|\b(huge|giant|enormous|very large|massive) (transaction|statement|commit|write)\b/i,
        3,
      ],
      // The replicas, secondaries or decoder applying it one change after another (support only:
      // a replica replaying a log is also how it catches up after any absence).
      [
        /\b(replicas?|secondar(y|ies)|standbys?|followers?|decoder|walsender|applier|sql thread)\b[^.]{0,40}\b(apply\w*|replay\w*|decod\w*)\b|\b(apply\w*|replay\w*)\b[^.]{0,20}\bsingle[- ]threaded\b/i,
        1,
      ],
      [/\b(binlog|oplog|wal|replication stream|logical decoding|row images?)\b/i, 0.75],
      [
        /\b(backfill\w*|purge\w*|bulk (update|delete|insert)\w*|updatemany|deletemany|mass (update|delete)\w*)\b/i,
        0.75,
      ],
    ],
  },
  {
    id: 'abandoned-reader',
    theme: 'Data retained for a reader that is gone',
    description:
      'A reader that was retired or removed (a replication slot, a queue bound to an exchange, a stream consumer group) stayed registered, so the technology kept every record for it until storage or memory ran out.',
    category: 'resource-exhaustion',
    alsoCategories: ['configuration-change', 'operational-error'],
    investment:
      'Decommissioning that removes every slot, queue and consumer group, with alerts on readers that stopped reading',
    explains: ['disk-full', 'memory-exhaustion'],
    cues: [
      // Structure: the reader removed, its registration left behind.
      [
        /\b(services?|consumers?|connectors?|pipelines?|subscribers?|readers?|applications?|apps?|jobs?|workers?)\b[^.]{0,60}\b(was|were|had been|has been) (deleted|removed|retired|decommissioned|shut down|turned off|gone)\b[^.]{0,30}\b(but|while|yet)\b[^.]{0,60}\b(slots?|queues?|consumer groups?|groups?|subscriptions?|bindings?|cursors?)\b|\b(nobody|no one|never)\b[^.]{0,20}\b(removed|deleted|dropped|cleaned up|destroyed)\b[^.]{0,40}\b(slots?|queues?|consumer groups?|groups?|subscriptions?|bindings?)\b/i,
        4,
      ],
      // The technology keeping data for a reader that does not read it.
      [
        /\b(nothing|no one|nobody|no consumers?|no reader)\b[^.]{0,20}\b(was |is |were )?(reading|consuming|read|consumed)\b[^.]{0,20}\b(the |that |this |its |from )?(slot|queue|stream|group|topic|subscription)\b|\b(slots?|queues?|groups?|subscriptions?)\b[^.]{0,40}\b(with )?(0|zero|no) (active )?consumers\b|\bwill not (recycle|remove|delete|free|trim|discard|release)\b[^.]{0,40}\b(slot|reader|consumer|subscriber|group)\b[^.]{0,20}\b(has|have) not (yet )?(confirmed|acknowledged|read|consumed)\b/i,
        3,
      ],
      [
        /\b(inactive|abandoned|orphan\w*|forgotten|unused|dangling|leftover) (\w+ )?(replication )?(slots?|queues?|consumer groups?|subscriptions?|bindings?)\b|\bpg_drop_replication_slot\b|\bxgroup destroy\b/i,
        1.5,
      ],
    ],
  },
  {
    id: 'deleted-data-resurrected',
    theme: 'Deleted data came back',
    description:
      'A replica or node missed deletes and stayed away longer than the deletion markers are kept (a grace period, a tombstone window), so when it returned or was repaired the deleted rows reappeared.',
    category: 'data-loss-corruption',
    alsoCategories: ['software-bug', 'operational-error', 'configuration-change'],
    investment: 'Return and repair procedures that check how long a replica was away against the deletion grace period',
    // Tombstones are the means, not the fault: the fault is the replica that outlived them.
    explains: ['tombstones'],
    cues: [
      // Structure: data that was deleted told as present again.
      [
        /\b(deleted|removed|purged|erased)\b[^.]{0,60}\b(reappear\w*|came back|come back|resurfac\w*|resurrect\w*|returned from the dead)\b|\bresurrect\w*\b[^.]{0,40}\b(deleted|removed|rows|data|records|cells)\b|\bzombie (data|rows|records|cells|deletes)\b/i,
        4,
      ],
      // A replica away for longer than the deletion markers are kept.
      [
        /\b(nodes?|replicas?|members?|hosts?)\b[^.]{0,80}\b(down|away|offline|out of the ring|powered off|last[- ]seen( time)?)\b[^.]{0,40}\b(older|longer|more) than\b[^.]{0,30}\b(gc_grace\w*|grace period|tombstone\w*)\b|\b(down|away|offline)\b[^.]{0,20}\b(longer|more) than (half )?(the |its )?(gc_grace\w*|grace period)\b/i,
        3,
      ],
    ],
  },
  {
    id: 'blocking-command',
    theme: 'One long command blocked a single-threaded server',
    description:
      'A command or script whose cost grows with the size of a key or of the keyspace (a KEYS scan, reading a huge set, a Lua script, a synchronous flush) ran on the single command thread, and every other client waited behind it.',
    category: 'software-bug',
    alsoCategories: ['deployment', 'operational-error', 'capacity', 'resource-exhaustion'],
    investment: 'Bans on keyspace-wide commands in production, per-command latency alerts and bounded scripts',
    cues: [
      // Structure: while one command or script runs, the server serves nothing else.
      [
        /\bwhile (a|the|one|that|this|it|each) ?(\w+ ){0,2}(script|command|call|flush|scan|query)? ?(runs|ran|is running|was running|executes|executed|walks|walked)\b[^.]{0,40}\b(nothing else|no other|every other|all other|blocks?|blocked)\b|\b(blocks?|blocked|blocking|stalls?|stalled|froze|freezes)( (?!with\b)\w+){0,3} ((every|all|each|any) other (clients?|commands?|requests?|callers?|connections?)|everything else)\b/i,
        4,
      ],
      // A keyspace-wide or whole-key command (names as the server spells them) over a large key or keyspace.
      [
        /\b(KEYS|SMEMBERS|HGETALL|LRANGE|ZRANGE\w*|FLUSHALL|FLUSHDB|EVAL\w*|SORT)\b[^.]{0,80}\b(\d+(\.\d+)? ?(M|GB|million)\b|[Mm]illions|whole keyspace|entire keyspace|every key|all keys|\d+(,\d{3})+ (members|keys|elements|entries))/,
        3,
      ],
      // A remedy that forbids those commands names the fault.
      [
        /\b([Ll]int\w*|[Bb]lock\w*|[Bb]an\w*|[Ff]orbid\w*|[Dd]eny|[Dd]isallow\w*|[Rr]ename[- ]command|[Ww]rapper)\b[^.]{0,40}\b(KEYS|SMEMBERS|HGETALL|FLUSHALL|FLUSHDB)\b|\b(FLUSHALL|FLUSHDB) ASYNC\b/,
        4,
      ],
      [/\b(single[- ]threaded|slowlog|slow ?log)\b/i, 1],
    ],
  },
];

/** Every mechanism by id. */
export const MECHANISM_BY_ID: ReadonlyMap<string, Mechanism> = new Map(
  MECHANISMS.map((mechanism) => [mechanism.id, mechanism]),
);

/**
 * Mechanisms the list tells apart that are one failure when each is read in one incident only:
 * the same harm told from a different side (a consumer that outlived its poll interval and a
 * message that outlived its visibility timeout are both work that outlived its lease). Incidents
 * whose own mechanism recurs nowhere else are grouped by their family before the similarity
 * fallback; a mechanism that recurs keeps its own, sharper theme.
 */
export interface MechanismFamily {
  id: string;
  theme: string;
  description: string;
  category: FaultCategory;
  investment: string;
  members: readonly string[];
}

export const MECHANISM_FAMILIES: readonly MechanismFamily[] = [
  {
    id: 'work-outlived-its-lease',
    theme: 'Work outlived its lease or timeout and was handed out again',
    description:
      'Processing took longer than a poll interval, ack deadline or visibility timeout allowed, so the work was taken from its consumer and redelivered or rebalanced to another, repeating it.',
    category: 'configuration-change',
    investment: 'Leases and timeouts sized to the slowest normal work, with heartbeats',
    members: ['consumer-rebalance', 'redelivery-timeout'],
  },
  {
    id: 'retention-outran-a-reader',
    theme: 'Retention expired data a paused or lagging reader still needed',
    description:
      'A consumer or replica paused or fell behind for longer than the retention of its messages, log or committed offsets, and what it still needed was expired or its position reset.',
    category: 'data-loss-corruption',
    investment: 'Retention sized to the longest pause, with consumer-lag alerting',
    members: ['retained-log-outrun', 'consumer-offsets'],
  },
  {
    id: 'replica-served-stale-data',
    theme: 'A lagging replica served stale data',
    description: 'A replica fell behind its primary, and reads or failovers served stale or missing data.',
    category: 'failover-replication',
    investment: 'Read-your-writes routing and replication-lag limits',
    members: ['replication-lag', 'huge-transaction-replication'],
  },
];

/** Each mechanism's family, by mechanism id. */
export const FAMILY_OF: ReadonlyMap<string, MechanismFamily> = new Map(
  MECHANISM_FAMILIES.flatMap((family) => family.members.map((member) => [member, family] as const)),
);

/** The literal words of a cue: its escapes, character classes and quantifiers taken out. */
function cueWords(pattern: RegExp): string {
  return pattern.source
    .replace(/\\[bBdDsSwW]/g, ' ')
    .replace(/\\./g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\{\d*,?\d*\}/g, ' ')
    .replace(/[^a-zA-Z]+/g, ' ');
}

/**
 * The language of failure mechanisms: the word stems of every mechanism's name, description and
 * cues (resources, limits, replicas, locks, expiries, what happened to them). A new mechanism is
 * told in these words too, combined differently; the words around them (the product, the people,
 * the dates) say nothing about how it failed. The similarity fold weighs the other words less.
 */
export const MECHANISM_VOCABULARY: ReadonlySet<string> = new Set(
  MECHANISMS.flatMap((mechanism) => [
    ...contentWordsOf(`${mechanism.theme} ${mechanism.description}`),
    ...mechanism.cues.flatMap(([pattern]) => [...contentWordsOf(cueWords(pattern))]),
  ]),
);

export interface MechanismReading {
  mechanism: Mechanism;
  score: number;
  /** The sentence with the most weight for the mechanism: the member's evidence. */
  sentence: string;
  /** Every sentence that adds weight to the mechanism, the heaviest first (`sentence` among them). */
  supporting: string[];
}

/**
 * A sentence without its questions: a question asks whether a mechanism happened ("the first hour went to \"did the
 * cert expire?\"", "was it the disk?"), it does not tell that it did. A quoted question and a clause ending in a
 * question mark are left out; a sentence with no question is read whole.
 */
function assertedPart(sentence: string): string {
  if (!sentence.includes('?')) return sentence;
  return sentence.replace(/["\u201C][^"\u201D]*\?["\u201D]/g, ' ').replace(/[^.!?;:"\u201C\u201D]*\?/g, ' ');
}

/** A negation just before a cue's match ("not a retry storm", "no backfill was running") cancels it. */
const NEGATED_BEFORE =
  /\b(not|no|never|nothing|without|neither|nor|isn'?t|wasn'?t|weren'?t|didn'?t|wouldn'?t)\s+(\S+\s+){0,2}$/i;
/**
 * A sentence that reports a hypothesis and then sets it aside ("the first theory was a memory leak,
 * and I'd like that laid to rest") is no evidence for the mechanism it names.
 */
const SET_ASIDE =
  /\b(laid to rest|ruled out|red herring|false alarm|first (theory|instinct|thought|guess|suspicion)|(first|initially),? (we|i) (thought|thinked|suspected|assumed|believed)|(we|i) (first|initially) (thought|suspected|assumed|believed)|turned out not|was not the cause|wasn'?t the cause|(want|like) to correct)\b/i;

/** A health verdict right after a cue's match: what the cue names was fine. */
const HEALTHY_AFTER =
  /^\s*(\w+\s+){0,2}?(correctly|fine|normally|healthy|unchanged|as expected|ok|okay|green)\b(?!,? (but|until|except)\b)/i;

/** Each cue's global twin (matchAll needs the g flag), made once. */
const GLOBAL_CUES = new WeakMap<RegExp, RegExp>();

/**
 * A cue just after a reference to an earlier, other incident ("after last week's out-of-memory
 * kill", "since the previous outage's full disk") tells that incident's mechanism, not this one's.
 */
const EARLIER_INCIDENT_BEFORE =
  /\b(last|previous|prior|earlier|an earlier|a previous|a prior) (week|month|year|quarter|night|weekend|incident|outage|release)(['’]s|s['’])?\s+(\S+\s+){0,1}$/i;

/** Whether a cue matches the sentence somewhere that is neither negated nor an earlier incident's. */
function cueHolds(pattern: RegExp, sentence: string): boolean {
  // Most cues are absent from most sentences: one stateless test (no g or y flag) answers those.
  if (!pattern.global && !pattern.sticky && !pattern.test(sentence)) return false;
  let global = GLOBAL_CUES.get(pattern);
  if (!global) {
    global = new RegExp(pattern.source, pattern.global ? pattern.flags : `${pattern.flags}g`);
    GLOBAL_CUES.set(pattern, global);
  }
  for (const match of sentence.matchAll(global)) {
    const before = sentence.slice(Math.max(0, match.index - 30), match.index);
    if (EARLIER_INCIDENT_BEFORE.test(before)) continue;
    // "DNS resolving correctly", "security groups unchanged": the thing the cue names, read as healthy.
    if (HEALTHY_AFTER.test(sentence.slice(match.index + match[0].length, match.index + match[0].length + 30))) continue;
    // A cue that starts with a negation ("no canary", "never rotated") carries it on purpose.
    if (/^(no|not|never|without)\b/i.test(match[0])) return true;
    if (!NEGATED_BEFORE.test(before)) return true;
  }
  return false;
}

/** Every mechanism's cues in one list (MECHANISMS order, then each mechanism's), with its index. */
const ALL_CUES = MECHANISMS.flatMap((mechanism, position) =>
  mechanism.cues.map(([pattern, weight]) => ({ position, pattern, weight })),
);
/** Which cues a sentence's words leave possible (text/cue-index.ts): the others cannot match. */
const CUE_INDEX = new CueIndex(ALL_CUES.map((cue) => cue.pattern));

/**
 * Every mechanism's score of a sentence, in MECHANISMS order (each the sum of the weights of its
 * cues that hold, 0 for a sentence that sets a hypothesis aside): a pure function of the text,
 * read for the same cause sentences by the document's category and again by the fold.
 */
const mechanismScoresOf = rememberRecent((text: string): Float64Array => {
  const scores = new Float64Array(MECHANISMS.length);
  if (SET_ASIDE.test(text)) return scores;
  const sentence = assertedPart(text);
  const possible = CUE_INDEX.candidates(sentence);
  for (const [index, cue] of ALL_CUES.entries())
    if (possible[index] === 1 && cueHolds(cue.pattern, sentence))
      scores[cue.position] = (scores[cue.position] ?? 0) + cue.weight;
  return scores;
});

/** What the document's classification adds to a mechanism its sentences already name. */
export const CATEGORY_SUPPORT = 0.75;

/** The document's fault categories, used as supporting evidence for a mechanism. */
export interface MechanismContext {
  faultCategory?: FaultCategory;
  faultSecondary?: FaultCategory | null;
  /**
   * How many of the sentences state the cause; the rest (impact, resolution, remedies) may
   * support a mechanism by at most CONTEXT_CAP in all. Absent: every sentence is a cause.
   */
  causeSentences?: number;
}

/** The most the sentences after the causes (impact, resolution, remedies) add to one mechanism. */
export const CONTEXT_CAP = 2;

/**
 * Categories that say how an incident started (a change, a release, a person's act) rather than
 * how it failed, and the software bug, which the taxonomy defines as a defect of any form (an
 * engine's quirk, a leak, wrong logic): any mechanism can go with one, so they contradict none.
 */
const NEUTRAL_CATEGORIES: ReadonlySet<FaultCategory> = new Set<FaultCategory>([
  'configuration-change',
  'deployment',
  'operational-error',
  'software-bug',
  'unknown',
]);

/** Categories the taxonomy tells apart from each other (docs/taxonomy.md): close, not contradictory. */
const NEIGHBOUR_CATEGORIES: ReadonlyArray<readonly [FaultCategory, FaultCategory]> = [
  ['capacity', 'resource-exhaustion'],
  ['failover-replication', 'network'],
  ['dependency', 'network'],
];

/**
 * Whether the document's classification contradicts the mechanism: the document's primary
 * category and the mechanism's are both kinds of failure (neither neutral), and the primary is
 * neither the mechanism's category, one of its other categories nor their neighbour in the
 * taxonomy, and the secondary does not agree either. A host failure filed under
 * failover-replication read as a cache stampede (capacity) is such a contradiction.
 */
export function categoryContradicts(mechanism: Mechanism, context: MechanismContext): boolean {
  const primary = context.faultCategory;
  if (primary === undefined || NEUTRAL_CATEGORIES.has(primary) || NEUTRAL_CATEGORIES.has(mechanism.category))
    return false;
  const own = new Set<FaultCategory>([mechanism.category, ...(mechanism.alsoCategories ?? [])]);
  for (const [left, right] of NEIGHBOUR_CATEGORIES) {
    if (own.has(left)) own.add(right);
    else if (own.has(right)) own.add(left);
  }
  return ![primary, context.faultSecondary].some((category) => category && own.has(category));
}

/**
 * What a mechanism needs from the cause sentences alone when the document's category contradicts
 * it: twice the ordinary minimum, so only a cause that tells the mechanism outright keeps it.
 */
export const CONTRADICTED_SCORE = 2 * MIN_MECHANISM_SCORE;

/** The share of an explained mechanism's weight the mechanism that explains it needs (see Mechanism.explains). */
export const EXPLAINS_SHARE = 0.3;

interface Candidate extends MechanismReading {
  /** One cause sentence alone reaches MIN_MECHANISM_SCORE: the cause itself tells the mechanism. */
  toldByCause: boolean;
}

/**
 * The mechanism an incident's cause sentences describe best, or undefined when none reaches
 * MIN_MECHANISM_SCORE. `weights` lets earlier sentences (root causes) count more than later ones;
 * `context` (the document's fault categories) breaks near ties toward the mechanism whose usual
 * category the document has, and never makes a mechanism on its own.
 *
 * The cause comes first: a mechanism that one cause sentence tells outright outranks any mechanism
 * told only by the impact, resolution or remedies (a failover in the timeline, an alert in the
 * action items), whatever their weights; those are read only when no cause sentence tells one,
 * except a mechanism that explains the one read (Mechanism.explains). A mechanism the document's
 * category contradicts needs CONTRADICTED_SCORE from its causes.
 */
export function readMechanism(
  sentences: readonly string[],
  weights?: readonly number[],
  context: MechanismContext = {},
): MechanismReading | undefined {
  const categories = [context.faultCategory, context.faultSecondary].filter(Boolean);
  const causes = context.causeSentences ?? sentences.length;
  // Each sentence's score for every mechanism (its set-aside test included), read once per text.
  const table = sentences.map(mechanismScoresOf);
  const candidates: Candidate[] = [];
  for (const [position, mechanism] of MECHANISMS.entries()) {
    let total = 0;
    let aside = 0;
    let topSentence = '';
    let topScore = 0;
    let topCause = 0;
    const scored: Array<[string, number]> = [];
    for (const [index, sentence] of sentences.entries()) {
      const own = table[index]?.[position] ?? 0;
      const score = own * (weights?.[index] ?? 1);
      if (index < causes) {
        total += score;
        topCause = Math.max(topCause, own);
      } else aside += score;
      if (score > 0) scored.push([sentence, score]);
      if (score > topScore) {
        topScore = score;
        topSentence = sentence;
      }
    }
    const fromCauses = total;
    total += Math.min(aside, CONTEXT_CAP);
    if (total < MIN_MECHANISM_SCORE || topScore < MIN_MECHANISM_SCORE) continue;
    if (categoryContradicts(mechanism, context) && fromCauses < CONTRADICTED_SCORE) continue;
    const supported = [mechanism.category, ...(mechanism.alsoCategories ?? [])].some((category) =>
      categories.includes(category),
    );
    candidates.push({
      mechanism,
      score: total + (supported ? CATEGORY_SUPPORT : 0),
      sentence: topSentence,
      supporting: scored.sort((left, right) => right[1] - left[1]).map(([sentence]) => sentence),
      toldByCause: topCause >= MIN_MECHANISM_SCORE,
    });
  }
  const told = candidates.filter((candidate) => candidate.toldByCause);
  let best: Candidate | undefined;
  for (const candidate of told.length > 0 ? told : candidates)
    if (best === undefined || candidate.score > best.score) best = candidate;
  if (best === undefined) return undefined;
  // A mechanism that is the reason for the one read (a reader that is gone, for a full disk; a leak,
  // for memory that ran out) is read instead when the document tells it too, with EXPLAINS_SHARE of
  // the other's weight: the causes often tell the resource that ran out and leave the reason to the
  // resolution or the remedies ("nobody deleted its group"). A candidate told only there still
  // needed one sentence strong enough alone (a cue of 4 at weight 0.5).
  const winner: Candidate = best;
  for (const candidate of candidates)
    if (
      candidate.mechanism.explains?.includes(winner.mechanism.id) &&
      candidate.score >= EXPLAINS_SHARE * winner.score &&
      (best === winner || candidate.score > best.score)
    )
      best = candidate;
  const { toldByCause: _told, ...reading } = best;
  return reading;
}
