C = []
def add(id, ext, style, causal, mentioned, cat, sec, themes, decoy, note, date, sev, dur, cust, cost, title, text, lenient=False):
    C.append(dict(id=id, ext=ext, style=style, causal=causal, mentioned=mentioned, cat=cat, sec=sec, themes=themes,
                  decoy=decoy, note=note, date=date, sev=sev, dur=dur, cust=cust, cost=cost, title=title, text=text, lenient=lenient))

add('j-etcd-rolling-replace-quorum', 'md', 'blog', ['etcd'], [], 'deployment', 'failover-replication', ['members-restarted-faster-than-quorum-recovers'], None,
 'An automated node-image rollout replaced etcd members without waiting for each to rejoin; two of three were down at once and the control plane lost quorum.',
 '2026-03-14', '', 37, '', '', '',
"""# The 37 minutes our clusters forgot how to schedule

Platform teams at Vexley run about forty Kubernetes clusters. On 14 March, eleven of them stopped accepting any change for up to 37 minutes: no new pods, no scaling, no config updates. Running workloads were fine, so most customers never noticed, but our own deploys all failed.

## The rollout

We had a new machine image for control-plane nodes. The rollout tool replaces nodes one at a time and moves on when the new node reports Ready to the cloud API. Ready there means the VM booted, not that the etcd member on it has caught up and rejoined.

Each control plane runs three etcd members. The tool terminated the first node, saw the replacement boot in about ninety seconds, and terminated the second. The first replacement was still streaming a snapshot from the leader. With one old member left and two members missing, etcd had no majority, refused writes, and the API server returned timeouts for every mutation.

## Recovery

Once the snapshots finished the members rejoined on their own and quorum came back. In two clusters a member had been started with a stale peer list and Hyun-woo had to remove and re-add it by hand.

## Changes

- The rollout waits for `etcdctl endpoint health` across all members and for the new member to be a voting member before touching the next node.
- Control-plane rollouts are capped at one cluster at a time per region.
- A disruption budget for control-plane nodes, enforced by the tool rather than by convention.
""")

add('j-zk-ensemble-restart-sessions', 'txt', 'chat-export', ['ZooKeeper'], ['Kafka'], 'operational-error', 'failover-replication', ['members-restarted-faster-than-quorum-recovers'], None,
 'An engineer restarted ZooKeeper ensemble members by hand in quick succession; quorum was lost, ZK sessions expired and the Kafka brokers that depended on it lost their controller. ZooKeeper is causal; Kafka suffered.',
 '2026-05-03', '', 22, '', '', '',
"""#inc-2291 export (times UTC)

[10:02] dilnoza: applying the JVM flag change to zk-1, zk-2, zk-3 now, quick restarts
[10:02] dilnoza: zk-1 restarted
[10:03] dilnoza: zk-2 restarted
[10:03] dilnoza: zk-3 restarted
[10:04] pagerbot: kafka-prod UnderReplicatedPartitions 412
[10:04] pagerbot: kafka-prod ActiveControllerCount 0
[10:05] marek: dilnoza did you wait for each one to rejoin? ensemble shows only zk-3 serving
[10:05] dilnoza: no... I ran them back to back. zk-1 was still loading its snapshot when zk-2 went down
[10:06] marek: so two of three out at once, no quorum. every ZK session on the brokers expires after 6s and they lose their registration
[10:08] marek: zk-1 is back, leader elected, quorum restored
[10:11] marek: brokers re-registering. controller elected on broker 4
[10:19] anselm: ISR shrinking back in. producers in checkout retried fine, a few timeouts
[10:24] anselm: under-replicated = 0. calling it resolved, 22 min
[10:30] marek: for the writeup: Kafka did exactly what it should with its coordinator gone. the thing that broke was the ensemble, and it broke because the restarts were manual and back to back with no check in between
[10:31] dilnoza: agreed, my mistake. I'll write the runbook step: restart one, wait for `srvr` to show follower or leader, then the next
[10:32] marek: also add the rolling-restart script to the config repo so nobody does it by hand again
[10:33] anselm: and a check in the deploy pipeline that refuses to restart a member while another one is not serving
""")

add('j-checkout-cold-rollout', 'md', 'sre-template', [], ['Kafka'], 'deployment', None, [], 'members-restarted-faster-than-quorum-recovers',
 'A rolling restart of our own API pods went too fast because the readiness probe passed before caches warmed; Kafka is named only as the source of a config event and did nothing wrong.',
 '2026-07-21', 'SEV3', 29, '', '', '',
"""# Incident: checkout API brownout during config rollout

- Severity: SEV3
- Duration: 29 minutes
- Author: Saoirse Mbeki

## Summary

A routine config change to the checkout API triggered a rolling restart of all 60 pods. The restart went faster than the pods could warm up, and for 29 minutes about a third of checkout requests were slow or failed.

## Background

Config changes reach the pods as events on a Kafka topic that the deploy controller watches. The controller then restarts pods in batches of 25%.

## What went wrong

The readiness probe on the checkout pod returns healthy as soon as the HTTP server binds. The pricing cache, which takes about two minutes to fill from the pricing service, is not part of the probe. So each batch reported ready in seconds, the controller moved straight on, and within four minutes every pod was serving with a cold cache. The pricing service, hit by all 60 pods at once, slowed to several seconds per request.

The event delivery was normal: the controller received the change once, within a second, and the topic had no lag throughout.

## Fix

- The readiness probe now waits until the pricing cache holds at least 90% of its usual entries.
- The controller's batch size for checkout is 10%, with a two-minute pause between batches.
- Pricing service gets a request-rate limit per caller so a cold fleet cannot overwhelm it.
""")

add('j-redis-noeviction-session-writes', 'md', 'blog', ['Redis'], [], 'configuration-change', 'resource-exhaustion', ['memory-ceiling-refuses-writes'], None,
 'The session cache was switched from allkeys-lru to noeviction; once maxmemory was reached Redis answered OOM command not allowed to every write and logins failed.',
 '2026-02-26', '', 64, '', '', '',
"""# Login failures on 26 February

For a little over an hour, about one in four login attempts on Pennant Ridge failed with "please try again". This is what happened.

## The setting

Sessions live in a Redis instance with a fixed memory budget. Until January it evicted the least recently used keys when it was full (allkeys-lru). In January we moved a small feature-flag store into the same instance, and because flags must never disappear, the eviction policy was changed to noeviction in the same pull request. The review discussed the flags and did not discuss the sessions.

## The failure

Noeviction means that when Redis reaches maxmemory it keeps everything and refuses any command that would add data. The instance sat below the limit for five weeks because sessions expired quickly. On 26 February a marketing email brought a surge of logins, sessions outpaced expiry, memory reached maxmemory at 12:41, and from then on every session write got "OOM command not allowed when used memory > 'maxmemory'". Reads of existing sessions worked, which is why logged-in users were fine and new logins failed.

## What we did

At 13:20 Maeve moved the policy back to volatile-lru, which lets Redis evict keys that carry an expiry (every session does, the flags do not). Writes succeeded immediately. By 13:45 the error rate was zero.

## What we learned

A memory policy is a property of everything stored in an instance. The flags now have their own instance, and any change to eviction settings needs sign-off from each team with keys in it.
""")

add('j-rabbit-memory-alarm-publishers', 'txt', 'status-page', ['RabbitMQ'], [], 'resource-exhaustion', 'deployment', ['memory-ceiling-refuses-writes'], None,
 'A consumer bug stopped acking, unacked messages piled up on the broker until the RabbitMQ memory alarm blocked all publishers. Exhaustion of broker memory is the fault; the consumer bug is the secondary.',
 '2026-04-17', '', 118, '', '', '',
"""Notifications delayed - Resolved

Apr 17, 16:52 UTC - Resolved. Push and e-mail notifications have been delivered normally since 16:40. All delayed notifications were sent; none were lost. A summary follows.

Apr 17, 15:30 UTC - Monitoring. Publishers are connected again and the backlog is draining.

Apr 17, 14:50 UTC - Identified. Our message broker stopped accepting new messages. We are freeing memory on it.

Apr 17, 14:42 UTC - Investigating. Notifications from Oakhaven Pay are delayed.

Summary

Oakhaven Pay sends notifications through a RabbitMQ cluster. At about 14:40 the broker raised its memory alarm, and while that alarm is raised RabbitMQ blocks every publishing connection by design, so all of our services that send notifications stalled, not only the one that caused it.

Memory had been climbing since the morning. A release of the receipt-rendering consumer that morning had a bug in its error path: when a receipt template failed to load, the consumer neither acknowledged nor rejected the message. Those messages stayed unacked and held in broker memory. By mid-afternoon there were 3.1 million unacked messages and the node crossed vm_memory_high_watermark.

We closed the faulty consumer's channels, which returned its messages to the queue, and deployed a fix that rejects failed messages to a dead-letter exchange. Memory dropped below the watermark and publishers resumed at 15:28. The backlog cleared by 16:40, so the incident lasted 118 minutes from first alarm.

We are adding per-consumer unacked limits (prefetch of 50) and an alert well below the memory watermark.
""")

add('j-statement-generator-oom', 'txt', 'one-paragraph', [], ['Redis'], 'resource-exhaustion', 'software-bug', [], 'memory-ceiling-refuses-writes',
 'Our own report service ran out of JVM heap; Redis is named as the place the reports are later cached and was not involved.',
 '2026-08-04', '', 52, '', '', '',
"""On 4 August the monthly statement generator at Corvane Mutual fell over repeatedly for 52 minutes with OutOfMemoryError, and customers requesting statements saw a spinner until the request timed out. The generator is a Java service that renders PDFs; finished PDFs are stored in Redis for a day so repeat downloads are fast, and that cache was healthy throughout, serving the statements already generated. The memory that ran out was the generator's own heap. A change in July had moved the font subsetting step inside the loop that renders each page, and for statements longer than about forty pages the font objects for every page were kept alive until the whole document finished. August statements are the longest of the year because they include the half-year summary, so the first large batch of the month pushed each instance past its 2 GB heap, the JVM spent most of its time in garbage collection and then died. Kubernetes restarted the pods, which picked up the same statements and died again. We raised the heap to 4 GB as a stopgap, moved font subsetting back outside the page loop in a fix released the same afternoon, and added a heap-after-GC alert at 70% so we see the next leak before customers do.
""")

add('j-mysql-mdl-alter-queue', 'md', 'sre-template', ['MySQL'], [], 'operational-error', None, ['schema-change-waits-on-a-lock'], None,
 'An engineer ran a direct ALTER TABLE while a long analytics transaction held the table; the ALTER waited for the metadata lock and every later query queued behind it.',
 '2026-06-12', 'SEV2', 26, '', 14000, '',
"""# Postmortem: orders table freeze

| | |
|---|---|
| Severity | SEV2 |
| Duration | 26 minutes |
| Estimated cost | $14,000 in refunded delivery fees |
| Author | Ingrid Navarro |

## Summary

A schema change on the `orders` table in our primary MySQL database stalled every read and write of that table for 26 minutes. Couriers could not accept jobs and the customer app showed no order status.

## Sequence

At 11:10 an engineer added a nullable column to `orders` by running ALTER TABLE directly in a console instead of through our gh-ost pipeline, reasoning that the change was small and online. The statement needed an exclusive metadata lock for a moment at the start.

A reporting query opened by the finance notebook at 10:30 was still running inside an open transaction on the same table. The ALTER waited for that transaction's MDL. While it waited, every new query on `orders`, including plain SELECTs, queued behind the ALTER, because MySQL grants metadata locks in order. Connections piled up to the limit within four minutes.

At 11:36 the on-call killed the notebook's connection; the ALTER completed in under a second and the queue drained.

## Contributing factors

- The finance notebook library keeps a transaction open between cells, which we did not know.
- The console had write access to production schemas.

## Actions

- Schema changes only through the pipeline, which sets `lock_wait_timeout` to 5 seconds and retries.
- Notebooks use autocommit read replicas.
""")

add('j-pg-fk-migration-lock-queue', 'txt', 'handover-note', ['PostgreSQL'], [], 'deployment', None, ['schema-change-waits-on-a-lock'], None,
 'A release ran a migration adding a foreign key; its lock request waited behind a long export transaction; all queries on the table queued behind the waiting migration.',
 '2026-07-09', '', 18, '', '', '',
"""Handover, night shift to morning shift, 9 July

Headline: the 02:00 release of bookings-api caused an 18 minute outage of seat bookings. Resolved. Writeup draft below, please finish it.

What the release did: the migration in v14.2 added a foreign key from `seats` to `venues`. In Postgres adding that constraint takes a lock on both tables that conflicts with ordinary writes. The migration framework runs it at deploy time, inside the deploy, with no lock timeout.

Why it hung: a nightly export had a transaction open on `venues` since 01:20 (it reads everything and takes its time). The migration's lock request sat waiting behind it. Every query that touched `seats` after that queued behind the migration's request, because Postgres queues lock requests in order and a waiting exclusive request blocks the ones behind it. pg_stat_activity showed about 300 sessions waiting on one lock.

What fixed it: Yusuf cancelled the export at 02:19 (pg_cancel_backend). The migration finished, the queue drained in seconds. We did not roll back, the schema is fine now.

Open items for the day team:
1. migrations must set lock_timeout (we suggest 3s) and retry, the framework supports it
2. add NOT VALID then VALIDATE for foreign keys on big tables
3. move the nightly export to the replica
4. the booking page shows a blank error; ask frontend for a proper message

No customer data issue. Roughly 600 failed booking attempts, most retried successfully.

- Nikolai
""")

add('j-scheduler-nfs-locks', 'txt', 'terse-log', [], ['PostgreSQL'], 'software-bug', None, [], 'schema-change-waits-on-a-lock',
 'Lock contention was inside our own job scheduler, a file lock on a shared NFS path; Postgres is named only as where job results go and was healthy.',
 '2026-09-15', '', 41, '', '', '',
"""ticket OPS-5521  batch jobs not starting
reporter: Callum Arrowsmith

summary: for 41 min no scheduled batch job started on the worker fleet. jobs already running finished normally.

notes in order:
- 06:00 nothing kicked off for the 06:00 slot. scheduler UI shows every job as "acquiring"
- first look was the results database, since the jobs write their summaries into Postgres and a lock there would look similar. sessions normal, no waits, no blocked queries, replication caught up. not the database
- scheduler acquires a lock file per job on the shared NFS mount before launch, so two workers never start the same job
- lsof on worker-3 shows it holding locks for all 140 job files. worker-3 had been frozen since 05:52 by a kernel hung-task on an unrelated mount, so it never released them
- NFS lock lease is 30 min by default in our mount options, and the scheduler retries forever without logging
- 06:41 rebooted worker-3. locks released, scheduler launched the backlog in order
- all 06:00 and 06:30 jobs completed by 07:25

cause: our scheduler's choice of file locks on NFS with a long lease. a hung worker held them.
fixes: move job leases to the scheduler's own lease table with 60s heartbeats; log lock waits over 30s; page when no job has started for 10 min.
""")
