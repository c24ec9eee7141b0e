C = []
def add(id, ext, style, causal, mentioned, cat, sec, themes, decoy, note, date, sev, dur, cust, cost, title, text, lenient=False):
    C.append(dict(id=id, ext=ext, style=style, causal=causal, mentioned=mentioned, cat=cat, sec=sec, themes=themes,
                  decoy=decoy, note=note, date=date, sev=sev, dur=dur, cust=cust, cost=cost, title=title, text=text, lenient=lenient))

add('j-s3-bucket-policy-deny', 'md', 'sre-template', ['S3'], [], 'configuration-change', None, [], None,
 'A bucket policy change meant to block public access added a Deny on s3:GetObject for every principal outside one VPC endpoint, which also denied the image resizer running elsewhere.',
 '2026-01-15', 'SEV2', 83, '', '', '',
"""# Postmortem: product thumbnails missing

**Severity:** SEV2  **Duration:** 83 minutes  **Author:** Farida Olsen

## Impact

Thumbnails on listing pages at Kestrel Home were blank for 83 minutes. Full-size images, served from a different path, kept working.

## Root cause

The security team tightened the bucket policy on our media S3 bucket after an audit finding. The new statement denied s3:GetObject to any request that did not arrive through the production VPC endpoint. The change was reviewed, tested against the web servers, and applied through Terraform at 09:30.

The thumbnail resizer does not run in that VPC. It runs as a function in a separate account and reads originals over the public S3 endpoint with its own role. An explicit Deny in a bucket policy wins over any Allow, so from 09:30 every read by the resizer returned AccessDenied, and every thumbnail not already in the CDN cache failed. Cached thumbnails expired over the following hour, which is why the impact grew slowly and alerting fired late.

## Resolution

At 10:53 we added a condition exempting the resizer's role ARN from the Deny. Thumbnails recovered as the CDN refetched them.

## Lessons

- The policy was correct in intent and wrong in scope. We did not have a list of everything that reads the bucket.
- Access Analyzer would have shown the resizer's access pattern; we now run it before any bucket policy change.

## Actions

1. Inventory all principals reading each media bucket (owner: Farida).
2. Synthetic check that fetches an uncached thumbnail every minute (owner: Gus).
""")

add('j-sqs-visibility-too-short-dupes', 'txt', 'narrative-no-headings', ['SQS'], [], 'configuration-change', None, [], None,
 'The queue visibility timeout was left at 30 seconds while report jobs took several minutes; SQS redelivered the message to other workers and each report was generated and e-mailed several times.',
 '2026-02-19', '', 180, 4300, '', '',
"""Starting on the morning of 19 February, customers of Ledgerpine who had scheduled weekly reports began receiving the same report three, four, sometimes seven times. About 4,300 customers were affected before we stopped it roughly three hours later.

Scheduled reports are dispatched as messages on an Amazon SQS queue and picked up by a pool of workers. When a worker receives a message, SQS hides it from everyone else for the queue's visibility timeout; if the worker deletes the message before that timer runs out, the work happens once. If not, the message becomes visible again and another worker takes it.

The queue was created last year with the default visibility timeout of 30 seconds, back when reports took a few seconds. In January we added a twelve-month trend chart to the weekly report, and rendering a report with the chart takes two to five minutes. Every one of those reports outlived its visibility timeout, was handed to a second worker, then a third, and each worker that finished sent its own e-mail. Monday mornings are the peak, so the effect was loud.

Nothing in the workers was wrong apart from not extending the timeout. We raised the queue's visibility timeout to 15 minutes at 10:40, purged the duplicate deliveries from the outbound mail queue, and sent an apology note. The workers now also call ChangeMessageVisibility every minute while a report is rendering, and the e-mail step checks a sent-record keyed by report id and week so a repeat delivery can never send twice.
""")

add('j-mongo-upgrade-index-behaviour', 'md', 'blog', ['MongoDB'], [], 'deployment', None, [], None,
 'A MongoDB major-version upgrade changed the query planner choice for a compound query, which began scanning a large collection; the version change introduced the slowdown.',
 '2026-04-08', '', 210, '', '', '',
"""# A planner change we did not expect

Last Wednesday the activity feed at Sparrowgate took up to twenty seconds to load for three and a half hours. The cause was our upgrade of the feed database.

We run the feed on a MongoDB replica set. On Wednesday morning we upgraded it to the new major version, following the rolling procedure: secondaries first, then rs.stepDown on the primary and upgrade it. The procedure went smoothly and every member came back healthy.

What changed was the query planner. The feed query filters on user id and sorts by creation time, and the collection has two indexes that could serve it: one on user id and time, and an older one on user id alone. The previous version picked the compound index every time. After the upgrade, the planner's trial run began choosing the single-field index for users with few items, caching that plan, and then applying the cached plan to users with millions of items, where it meant reading every matching document and sorting in memory. CPU on the primary went to 100% and the feed slowed for everyone.

We confirmed it with explain output showing the cached plan, cleared the plan cache, and dropped the redundant index at 13:40. Latency recovered within minutes.

Our staging data set is small and evenly distributed, so the trial runs never picked the wrong index there. We now replay a sample of production queries with explain against every upgrade candidate, and we have removed the other redundant indexes that gave the planner a bad option.
""")

add('j-cassandra-tombstone-queue-table', 'txt', 'email-thread', ['Cassandra'], [], 'software-bug', None, [], None,
 'A Cassandra table used as a queue accumulated tombstones from deletes; reads scanned past hundreds of thousands of tombstones and timed out. Engine behaviour plus our pattern, no recent change.',
 '2026-06-23', '', 150, '', '', '',
"""Subject: Write-up: delivery tracking timeouts (23 June)
From: Otto Varga
To: platform-leads

Team,

Delivery tracking pages at Bramblecart timed out for about two and a half hours on Tuesday. No recent deploy touched the service, which made this slow to pin down.

We keep pending tracking updates in a Cassandra table partitioned by depot. Workers read the oldest rows of a depot's partition, process them, and delete them. It has worked for two years. What we had not accounted for is that in Cassandra a delete writes a tombstone, and the tombstone stays until gc_grace_seconds has passed and compaction removes it. Our busiest depot moved to 24-hour operation last month, so its partition now sees hundreds of thousands of deletes a day and compaction for that table runs rarely.

On Tuesday each read of that partition had to step over more than 400,000 tombstones to find live rows. Reads crossed the tombstone failure threshold and aborted; the coordinators timed out, the tracking API's retries made it worse, and the depot's updates stopped flowing. Other depots slowed as nodes spent their time on these reads.

Short-term we ran a major compaction on the table with nodetool after confirming repairs were current, and lowered gc_grace_seconds for that table to one day. The longer fix is to stop using a Cassandra table as a queue: the pending updates will move to a proper queue this quarter.

Otto
""")

add('j-memcached-slab-calcification', 'md', 'wiki-page', ['Memcached'], ['MySQL'], 'software-bug', 'deployment', [], None,
 'Memcached slab memory stayed assigned to an old item size class after payload sizes changed, so the new class evicted constantly and the hit rate collapsed; MySQL took the misses but behaved normally.',
 '2026-07-30', '', 240, '', '', '',
"""# Profile cache hit rate collapse

**Owner:** Priyanka Holm. **Status:** resolved.

## What happened

Over four hours on 30 July the profile API at Thistlecomb slowed from 20 ms to 600 ms at the 95th percentile. The profile cache hit rate dropped from 97% to about 40%, and the profile database behind it (MySQL) saw five times its normal read load. The database coped, just slowly.

## Why

Two weeks earlier we started storing a larger profile object that includes badges. The cache cluster is Memcached, which carves memory into slabs per item size class and hands a slab to a class once and keeps it there. Nearly all of the memory had long been assigned to the class that held the old 900-byte objects. The new 1.6 KB objects belonged to a larger class that owned only a few slabs. As old objects expired, their memory stayed with the old class, and the new class kept evicting its own items after seconds.

The switch to the new format was gradual through user logins, so the hit rate decayed over two weeks rather than falling at once, and the last step came on 30 July when the old format was fully retired.

## Fix

We restarted the nodes one at a time with the slab automove option enabled, letting memory move to the classes that need it. Hit rate returned to 96% within an hour of the last restart.

## Follow-ups

- slab_reassign and slab_automove on by default in our cache template
- alert on evictions per class, not only overall
""")

add('j-kafka-retention-compacted-wrong', 'txt', 'ticket-history', ['Kafka'], [], 'data-loss-corruption', 'configuration-change', [], None,
 'A topic config change set cleanup.policy to delete with a 24-hour retention on a topic used as the system of record for customer preferences; Kafka deleted older segments and the state was lost on the next rebuild.',
 '2026-08-18', '', 300, 9800, '', '',
"""PLAT-3380  customer notification preferences reset

opened 18 Aug 08:05 by support: many customers report marketing e-mails after opting out

comment (Hilde Moreau, 08:40): preference service rebuilt its local store overnight from the preferences topic, as it does after every node replacement. the rebuilt store only has changes from the last 24 hours. everything older is gone from the topic

comment (Hilde, 09:10): topic config history shows a change on 14 Aug: cleanup.policy changed from compact to delete, retention.ms set to 86400000. it came from the topic-defaults cleanup PR that normalised settings across 300 topics. the preferences topic was in the list by mistake

comment (Hilde, 09:25): with compact, Kafka keeps the latest record per key forever, which is what we rely on. with delete and 24h, Kafka removed every segment older than a day over the following days. the data left the topic on the broker side, not in our service

comment (Jorge Aquino, 10:30): restored policy to compact. rebuilding preferences from the nightly database export of 13 Aug plus the last 24h of the topic

comment (Jorge, 13:05): 9,800 customers had opt-outs that were lost; their preferences restored. marketing sends paused 08:50 to 13:05, about 300 minutes in total

resolution: config restored, data restored from export.
follow-ups: topics marked system-of-record excluded from bulk config changes; alert on cleanup.policy change for any topic with the tag
""")

add('j-dynamodb-gsi-backpressure', 'md', 'blog', ['DynamoDB'], [], 'capacity', 'configuration-change', [], None,
 'An under-provisioned global secondary index throttled, and DynamoDB back-pressured writes on the base table too.',
 '2026-09-09', '', 55, '', '', '',
"""# Why writes failed when the table had capacity

On 9 September the booking flow at Harrowgate Travel failed for about 55 minutes. The base table had plenty of write capacity. The problem was an index.

Our bookings table in DynamoDB has a global secondary index by hotel id, used by the hotel dashboard. When we switched the table from on-demand to provisioned mode in August to save money, the index got its own provisioned capacity, and it was set to a tenth of the table's, on the theory that the dashboard reads little. Nobody checked that every write to the table is also a write to the index.

On 9 September a partner pushed a large batch of rate updates that rewrote the indexed attribute on many rows. The index's write capacity was used up in seconds. DynamoDB then throttles writes to the base table as well, because it will not let the index fall behind without limit, and our booking writes started failing with ProvisionedThroughputExceededException even though the table's own consumed capacity sat at 30%.

We raised the index's write capacity to match the table at 14:25 and writes recovered. Auto scaling is now on for both the table and every GSI, with the index minimum equal to the table minimum. We also added the GSI throttle metric to the booking dashboard, since it was the one signal that told the real story and nobody had it on a screen.
""")
