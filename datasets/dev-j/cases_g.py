C = []
def add(id, ext, style, causal, mentioned, cat, sec, themes, decoy, note, date, sev, dur, cust, cost, title, text, lenient=False):
    C.append(dict(id=id, ext=ext, style=style, causal=causal, mentioned=mentioned, cat=cat, sec=sec, themes=themes,
                  decoy=decoy, note=note, date=date, sev=sev, dur=dur, cust=cust, cost=cost, title=title, text=text, lenient=lenient))

add('j-loyalty-bonus-double-run', 'txt', 'narrative-no-headings', [], ['DynamoDB'], 'configuration-change', None, [], None,
 'A cron schedule written in the wrong time zone ran the loyalty-points job twice; DynamoDB stored what it was given.',
 '2026-03-29', '', 35, 18000, '', '',
"""On the Sunday the clocks changed, about 18,000 members of the Orchardline loyalty programme saw their monthly bonus points credited twice. We caught it 35 minutes after the second run and reversed the duplicates before anyone could spend them, but several hundred members had already seen the higher balance and wrote in.

The monthly bonus is a batch job. It reads eligible members, computes their points, and writes a credit to the ledger table in DynamoDB. The job is supposed to be idempotent, and it is within a run: every credit carries a run id. It is not idempotent across runs, because each run generates a fresh run id.

The job is started by our scheduler, and the entry for it was written as 02:30 in local time rather than UTC. On the night summer time ended, 02:30 local happened twice, and the scheduler, doing exactly what its documentation describes, started the job at each. Two runs, two run ids, two credits per member.

The table took every write without complaint; it had no way to know the second credit was a mistake, and its throughput and latency were normal. The fault was in our schedule and in a run id that did not identify the month.

We reversed the second run's credits using its run id. The schedule is now in UTC, all scheduled jobs are linted for local-time entries, and the run id is derived from the programme month, so a second run writes the same keys and changes nothing.
""")

add('j-confirmations-key-policy', 'md', 'sre-template', [], ['SQS'], 'configuration-change', None, [], None,
 'A KMS key policy edited by the security team removed the producer role; encrypted sends to the queue were refused. The permission lived in another system, not in the queue.',
 '2026-04-24', 'SEV2', 72, '', '', '',
"""# Incident: payment confirmations not sent

- **Severity:** SEV2
- **Duration:** 72 minutes
- **Author:** Hamish Oduya

## Summary

Payment confirmations at Riverbend Tickets were not sent for 72 minutes. Payments themselves succeeded; customers did not get the confirmation or the ticket e-mail until the backlog was processed.

## Detail

The payment service sends a confirmation message to an encrypted SQS queue. Sending to an encrypted queue requires permission on the encryption key as well as on the queue, because the queue has to generate a data key on the sender's behalf.

At 16:20 the security team applied a clean-up to KMS key policies across the account, replacing the per-key lists of principals with role groups. The payment service's role was left out of the group for this key. Every send after that failed with KMS.AccessDeniedException. The queue policy, the queue settings and the queue's own metrics were unchanged; to the queue it looked like a quiet afternoon.

The payment service logged the error at warning level and kept the confirmation in its local retry buffer, which is why nothing was lost.

## Resolution

Security added the role to the key's group at 17:32. The retry buffer flushed within two minutes.

## Actions

- Key policy changes get a dry run with IAM policy simulation for every role that currently uses the key.
- Failed sends are an error-level log with a paging alert after five minutes.
""")

add('j-timeline-live-migration-pauses', 'txt', 'email-thread', [], ['Cassandra'], 'dependency', None, [], None,
 'The hosting provider live-migrated VMs and the hypervisor stalled guests for seconds; Cassandra nodes were marked down as a consequence. The virtualisation layer was the fault.',
 '2026-05-15', '', 90, '', '', '',
"""From: Natasha Rinaldi
To: sre@pebblestone.net
Subject: 15 May read latency spikes, what we know

Hi all,

Summary of Friday's 90 minutes of read latency spikes on the timeline service.

Our Cassandra ring runs on VMs from our hosting provider. Between 10:05 and 11:35, nodes in one rack dropped out of the ring for five to twenty seconds at a time, came back, and dropped again. Coordinators paused writes to them as hints, reads waited for replicas, and p99 latency went from 30 ms to several seconds.

The nodes' own logs had no errors, only long gaps where nothing at all was written, not even the periodic GC line. A gap in every log at once on a guest means the guest was not running. The provider confirmed on Saturday that they were live-migrating VMs off hosts in that rack for a firmware update, and that the final copy step paused each guest for up to 20 seconds, far longer than their usual sub-second pause, because the guests were busy writing memory faster than it could be copied.

So the database was reacting correctly to peers that had vanished and reappeared. Nothing we configured in it was at fault.

What we're doing:
- asked the provider for advance notice of maintenance on our hosts, which they have agreed to
- requested anti-affinity so replicas of the same range are never on one host
- a dashboard panel for "guest stolen time" and log gaps

Natasha
""")

add('j-scheduler-root-disk-full', 'md', 'blog', [], ['ZooKeeper'], 'resource-exhaustion', 'configuration-change', [], None,
 'The root disk on the scheduler hosts filled with our own debug logs, so the scheduler could not write its state file; ZooKeeper, used for leader election, worked fine.',
 '2026-06-17', '', 58, '', '', '',
"""# Our job scheduler and a full disk

On 17 June at Ironbark Analytics no scheduled job started for 58 minutes. It is a small story, but we promised to write up every incident that customers notice, and a late daily report is noticed.

Our scheduler runs on three hosts. They pick a leader through ZooKeeper, and the leader launches jobs and records each launch in a state file on its local disk before it starts the job, so that a new leader knows what already ran.

At 05:12 the leader tried to write that state file and got "no space left on device". The root disk of the host was full. The culprit was our own scheduler: a debug logging flag had been turned on during an investigation two weeks before and never turned off, and the logs went to the root disk, which has no rotation for that path. Once the state write failed, the leader refused to launch anything, which is the safe thing to do.

The election itself was never in question. The leader held its lock the whole time, and the other two hosts correctly stayed followers. In a sense that made it worse: a leader that cannot do its job but keeps its lock blocks everyone.

We deleted the debug logs, turned the flag off, and the leader resumed at 06:10, launching the backlog in order.

Changes: logs go to a separate volume with rotation; the leader now releases its lock if it cannot write state for two minutes; and disk usage on the scheduler hosts is alerted at 80%.
""")

add('j-address-validation-slow', 'json', 'json-export', [], ['Memcached'], 'dependency', None, [], None,
 'A third-party address-validation API slowed to 20 seconds; checkout threads waited on it. Memcached is named only as where validated addresses are cached.',
 '2026-07-14', 'Sev-2', 64, 2600, '', 'Checkout slow: address validation provider',
"""Sev-2. Duration 64 minutes. About 2,600 customers abandoned checkout during the window, compared with a normal rate of around 400.

At 19:20 the address-validation provider we call during checkout started answering in 15 to 20 seconds instead of 200 ms. Their status page acknowledged degraded performance at 19:41 and recovery at 20:24.

Checkout validates every new delivery address with that provider. Results are cached in Memcached for 30 days, so returning customers with saved addresses were fast throughout; the cache hit rate did not change and the cache nodes were idle. New addresses, though, went to the provider each time, and each call held a checkout worker thread for its full duration. With the default 30-second client timeout, the worker pool filled with waiting threads, and checkout slowed for everyone, including those with cached addresses.

We switched validation to asynchronous mode at 19:58 (accept the address, validate after order placement, contact the customer if it fails) and latency returned to normal. The provider recovered at 20:24.

Follow-ups: 2-second timeout and circuit breaker on the provider call; a separate small thread pool for third-party calls so one slow provider cannot take the whole pool; asynchronous validation by default on provider errors.""")

add('j-team-page-query-fanout', 'md', 'blog', [], ['MySQL'], 'deployment', None, [], None,
 'Our release introduced an N+1 query pattern; the database served the extra queries normally but the app slowed. The fault was our code change.',
 '2026-08-11', '', 46, '', '', '',
"""# A release that asked four hundred questions at once

On 11 August, the team page in Foxglove Docs became slow, then timed out, for 46 minutes after our morning release. The page lists everyone in a workspace with their last activity.

The release added a "currently editing" badge to each person on the page. The code for the badge was written in a template helper, and the helper looked up the person's open documents with a separate query for each person. In a workspace of 400 people, one page view now sent 401 queries instead of one. Each query was fast, under a millisecond in MySQL, but the application made them one after another, each with a network round trip, and large workspaces took eight to fifteen seconds to render. Our web workers were tied up waiting, and other pages queued behind them.

The database graphs were boring, which is the interesting part. Queries per second doubled, CPU rose from 20% to 28%, latency per query was flat. Nothing about the database was stressed; it answered every question it was asked.

We rolled the release back at 10:31. The badge came back the next day, built on a single query that fetches open documents for the whole page in one go.

We have since added a check to our test suite that fails any request making more than 50 queries, and a per-endpoint query count to our traces.
""")
