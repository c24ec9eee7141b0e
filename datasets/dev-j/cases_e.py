C = []
def add(id, ext, style, causal, mentioned, cat, sec, themes, decoy, note, date, sev, dur, cust, cost, title, text, lenient=False):
    C.append(dict(id=id, ext=ext, style=style, causal=causal, mentioned=mentioned, cat=cat, sec=sec, themes=themes,
                  decoy=decoy, note=note, date=date, sev=sev, dur=dur, cust=cust, cost=cost, title=title, text=text, lenient=lenient))

add('j-redis-flush-pg-connections', 'md', 'sre-template', ['Redis', 'PostgreSQL'], [], 'failover-replication', 'resource-exhaustion', [], None,
 'Chain: a Redis replica promoted during failover had an empty dataset, every lookup missed, and the flood of database queries exhausted PostgreSQL max_connections. Both directly caused the outage.',
 '2026-02-03', 'SEV1', 47, '', '', '',
"""# Postmortem: catalog outage after cache failover

- **Severity:** SEV1
- **Duration:** 47 minutes
- **Authors:** Lucan Ferreira, Odile Yamamoto

## Summary

A failover in our Redis cache promoted a replica that held almost no data. Every product lookup then missed the cache and went to Postgres, which ran out of connections. The catalog and checkout were down for 47 minutes.

## Detail

The primary cache node lost its host at 07:12. The replica that was promoted had been resynchronising since a network blip at 06:58; its full sync had restarted twice because the replication backlog was too small for the write rate, and at the moment of promotion it held under 2% of the keys. The failover logic only checks that a replica is connected, not that it is in sync, so it promoted it.

With an empty cache, request volume to the catalog database rose about thirty-fold. Postgres reached max_connections within a minute, and new connections from every service, including checkout and login, were refused. The database itself was healthy in every other way; it simply had no free connection slots.

## Why both matter

Either fault alone would have been survivable: a cold cache with enough database headroom, or a connection limit with a warm cache. Together they took the site down.

## Actions

- Raise the replication backlog so a blip does not force full resync.
- Failover only to replicas with replication offset within 1% of the primary.
- Put a connection pooler in front of Postgres and cap each service's share.
- Load-shed catalog reads when the cache hit rate drops below 50%.
""")

add('j-q2-reliability-report', 'md', 'monthly-report', ['RabbitMQ', 'S3'], [], 'resource-exhaustion', 'capacity', [], None,
 'Quarterly report with three incidents: RabbitMQ disk alarm blocked publishers (exhaustion), S3 returned SlowDown on one prefix (capacity), a third with our own DNS resolver (no catalog). Primary category follows the largest incident.',
 '2026-07-06', '', '', '', '', '',
"""# Reliability report, Q2 2026 - Fenwick Logistics platform

Three incidents crossed our customer-impact bar this quarter. Total customer-facing downtime: 212 minutes, against 95 in Q1.

## 1. Shipment events stalled (April, 131 minutes)

The largest of the quarter. Our RabbitMQ cluster stopped accepting messages when free disk on one node fell below disk_free_limit. RabbitMQ blocks all publishers cluster-wide when any node raises its disk alarm, so every service that publishes shipment events stalled. The disk had filled because a lazy queue for a decommissioned partner integration had kept receiving messages with no consumer for six weeks, about 180 GB of them. We purged the queue and deleted it, and added queue length limits with overflow to a dead-letter exchange.

## 2. Label PDFs slow (May, 58 minutes)

A customer onboarding generated labels at ten times the usual rate. We write label PDFs to an S3 bucket under a prefix per day, so all writes landed on a single object key prefix, and S3 answered with 503 SlowDown while it scaled the prefix. Label generation retried with too little backoff. We now spread keys across 16 hashed prefixes and use exponential backoff with jitter.

## 3. Internal name resolution (June, 23 minutes)

A configuration push to our own resolvers removed a forwarding zone, so services could not resolve the address of the carrier rate API. Reverted. Resolver changes now go through a canary pair first.

## Trends

Two of three incidents were about limits we knew existed but did not monitor. Q3 goals: every broker, bucket and database has its documented limits on a dashboard, with alerts at 70%.
""")

add('j-etcd-quota-nospace', 'txt', 'pagerduty-export', ['etcd'], [], 'resource-exhaustion', None, [], None,
 'An operator writing large custom resources filled the etcd database to quota-backend-bytes; etcd raised NOSPACE and refused writes until compaction and defrag.',
 '2026-03-22', 'P1', 96, '', '', '',
"""PagerDuty incident #88213 - P1 - k8s-prod-west API writes failing
Service: platform-control-plane   Urgency: high

Timeline (export)
02:11 triggered: apiserver write error rate > 50%
02:13 acknowledged by Zainab Kowalczyk
02:20 note: apiserver logs "etcdserver: mvcc: database space exceeded". etcd alarm list shows NOSPACE on all three members
02:26 note: db size 8.0 GiB on every member = quota-backend-bytes. etcd refuses every write except deletes once the quota is hit, by design
02:41 note: largest keys are custom resources from the backup operator. it stores a full status history inside each object and updates it every minute; history was never trimmed. revision count went from 2M to 41M in three weeks
02:55 note: scaled backup operator to zero
03:10 note: compacted to current revision, defrag one member at a time, alarm disarm
03:32 note: db size 1.3 GiB, writes succeeding
03:47 resolved. duration 96 min

Impact: no pod could be created, rescheduled or scaled in west for 96 minutes. Running pods unaffected.

Root cause: etcd space quota reached. Finite backend storage was consumed by revisions of one operator's objects; the apiserver's periodic compaction could not keep up with the churn and no defrag was scheduled.

Follow-ups:
- backup operator patched to keep 10 history entries
- scheduled defrag weekly, alert at 60% of quota
- admission limit on custom resource object size
""")

add('j-mysql-semisync-failover-loss', 'md', 'blog', ['MySQL'], [], 'failover-replication', 'data-loss-corruption', [], None,
 'Asynchronous replication plus automatic failover promoted a lagging MySQL replica; the last seconds of committed orders were missing on the new primary.',
 '2026-05-12', '', 12, 63, '', '',
"""# Sixty-three orders we had to recreate

At 21:04 on 12 May our primary order database at Tumbleweed Coffee lost power along with its rack. Automatic failover promoted a replica in another zone within 40 seconds, and the shop was back taking orders after 12 minutes. It looked like a clean failover. It was not.

Our MySQL setup used asynchronous replication. The primary commits a transaction and tells the client it is done, and the replica receives the binlog a moment later. Normally that moment is milliseconds. That evening a large analytical update had been running on the primary, and the replica was eleven seconds behind when the power went.

The failover tool promoted the replica it could reach, without checking how far behind it was, and the transactions in those eleven seconds were never applied anywhere. In all, 63 customers had confirmation e-mails for orders that did not exist in the database. We found out when baristas in three cafes had tickets with no matching order.

We rebuilt the orders from payment provider records and e-mail logs the same night and contacted each customer.

Changes we made:

- semi-synchronous replication, so a commit is acknowledged only once at least one replica has received it
- the failover tool refuses to promote a replica with unapplied relay log and waits up to 60 seconds for it to catch up
- large analytical updates run in batches of 1,000 rows

The database did what we configured it to do. We had configured it for a speed we did not need at the cost of a guarantee we did.
""")

add('j-sqs-queue-policy-sns', 'txt', 'one-paragraph', ['SQS'], [], 'configuration-change', None, [], None,
 'A rewritten SQS queue access policy dropped the statement that let the SNS topic send messages; deliveries were silently refused.',
 '2026-10-20', '', 190, '', '', '',
"""For a little over three hours on 20 October, new user sign-ups at Gildpath never received their welcome sequence, and nobody noticed until a product manager signed up a test account and waited. Sign-up events are published to an SNS topic that fans out to several subscribers, one of which is the Amazon SQS queue read by the onboarding worker. That morning an engineer tidying our infrastructure code replaced the queue's access policy with a shared template that grants our own account's roles permission to send and receive; the template has no statement allowing the SNS service principal to call SendMessage on the queue, and the old hand-written policy did. From the moment the new policy was applied, SNS tried to deliver to the queue, was denied, and after its retries gave up, while the queue looked empty and healthy, the worker idled, and the other subscribers were unaffected. We restored the SNS statement with a condition on the topic ARN, replayed the sign-up events for the affected window from the events table, and added an alarm on the topic's failed-delivery metric and on the onboarding queue receiving zero messages for thirty minutes during business hours. The shared template now takes an optional list of publishing topics.
""")

add('j-kafka-upgrade-timestamp-type', 'md', 'sre-template', ['Kafka'], [], 'deployment', None, [], None,
 'Moving to a new Amazon MSK cluster version with a different default message.timestamp.type stamped records with broker time; windowed aggregations double-counted.',
 '2026-11-03', 'SEV3', 1440, '', '', '',
"""# Incident review: hourly billing totals inflated

| field | value |
|---|---|
| Severity | SEV3 |
| Detected | by finance, 24 hours after start |
| Duration | 1440 minutes of affected data |
| Author | Benedikt Osei |

## What happened

Hourly usage totals shown to customers of Lanternworks were too high for one day, by 3% to 40% depending on the customer. No invoices had been issued from those totals yet.

## Why

On 3 November we moved usage events to a new Amazon MSK cluster built from our updated module. The new module set message.timestamp.type to LogAppendTime on the topic, where the old cluster had used CreateTime. With LogAppendTime, Kafka overwrites each record's timestamp with the time the broker appended it.

The usage aggregator assigns events to hourly windows by record timestamp. Meters in the field buffer and upload in batches, often minutes late, and near the top of each hour many events were stamped into the next hour. The aggregator had already closed the earlier window with a partial count and opened a late-arrival correction that added the same events again.

## Resolution

We set the topic back to CreateTime, recomputed the day's totals from raw events using the meters' own timestamps, and corrected the customer views.

## Actions

- The module now pins topic timestamp type explicitly; migration checklists diff every topic config between old and new clusters.
- The aggregator reads the event time from the payload, not the record header.
""")
