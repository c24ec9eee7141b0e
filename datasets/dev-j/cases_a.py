C = []
def add(id, ext, style, causal, mentioned, cat, sec, themes, decoy, note, date, sev, dur, cust, cost, title, text):
    C.append(dict(id=id, ext=ext, style=style, causal=causal, mentioned=mentioned, cat=cat, sec=sec, themes=themes,
                  decoy=decoy, note=note, date=date, sev=sev, dur=dur, cust=cust, cost=cost, title=title, text=text))

add('j-ddb-tenant-hot-partition', 'md', 'blog', ['DynamoDB'], [], 'capacity', None, ['one-key-takes-all-the-load'], None,
 'One tenant id was the partition key for most writes during a bulk import; DynamoDB throttled that partition while the table had spare capacity overall.',
 '2026-02-11', '', 95, 340, '', '',
"""# When one customer is most of the table

On 11 February our invoicing API at Quillfeather returned errors to 340 customers for roughly an hour and a half. This post explains what happened and what we changed.

## What happened

Our largest customer started a migration of nine years of invoices into our platform at 09:12. Every line item they sent was written to our DynamoDB table keyed by tenant id. The table was provisioned well above the day's total demand, and the dashboards for consumed capacity looked calm, which confused us for the first forty minutes.

The throttling was not about the table as a whole. Because the partition key was the tenant, nearly all of the import landed on one partition, and DynamoDB capped that partition at its per-partition throughput. ProvisionedThroughputExceededException rose from zero to several thousand per minute. Other tenants whose keys happened to share that partition were throttled too, which is why the errors looked random to support.

## Why we missed it

Adaptive capacity helps with skew, but not with a burst this sharp. Our alarms watched table-level consumption only.

## What we changed

- Writes for large imports now use a composite key of tenant and a shard suffix from 0 to 15.
- Bulk imports go through a rate-limited queue per tenant.
- We alarm on throttled requests per operation, not on table consumption.

Thanks to Ines Okafor and the billing team for staying late on this one.
""")

add('j-kafka-null-key-skew', 'txt', 'terse-log', ['Kafka'], [], 'capacity', 'deployment', ['one-key-takes-all-the-load'], None,
 'A producer release set a constant message key, so the Kafka partitioner sent every event to one partition whose single consumer fell hours behind; load concentrated on one partition (capacity), started by the release.',
 '2026-04-02', 'SEV3', 260, '', '', '',
"""INCIDENT LOG  clickstream-ingest  SEV3
owner: Radu Teixeira (data platform)

09:40 alert: consumer lag on topic clicks.raw above 2M on partition 7, all other partitions under 1k
09:46 checked brokers. disk, CPU, ISR all fine. partition 7 leader healthy but taking ~40x the write rate of its peers
09:58 consumer for p7 pinned at 100% CPU. the other 23 consumers idle
10:15 diffed producer config. yesterday's release of the tracker service (v5.8) changed the record key from visitor id to the site id "web" because of a refactor of the envelope class. every record now carries the same key
10:20 Kafka hashes the key to pick the partition, so one key means one partition. that explains the skew exactly
10:31 rolled tracker back to v5.7. new records spread across all 24 partitions again
11:05 started a temporary second consumer group reading p7 only from the stuck offset, writing to the same sink with dedupe on event id
13:20 p7 lag back under 10k. closed

impact: dashboards for site analytics were 4+ hours behind for all customers. no data lost.
duration: 260 min from alert to lag cleared

cause: the release put a constant key on every record; the topic's partitioning then put the whole stream on one partition and one consumer.
follow-ups:
  - producer contract test asserting key cardinality > 1000 per minute in staging
  - lag alert per partition, not only per group (already existed, threshold was too high)
  - review whether clicks need a key at all
""")

add('j-viral-image-origin', 'md', 'sre-template', [], [], 'capacity', None, [], 'one-key-takes-all-the-load',
 'A single viral image overloaded one origin cache node in our own edge tier; hot-key shape with no catalog technology involved.',
 '2026-05-19', 'SEV2', 48, '', '', '',
"""---
title: Product image origin saturation
severity: SEV2
status: resolved
authors: [Mireille Baptiste]
---

## Summary

For 48 minutes, product images on the Tallowmere storefront loaded slowly or not at all for shoppers in Europe. A single product photo, shared by a celebrity account, was requested about 90,000 times a second.

## Background

Our image origin is a small fleet of nginx boxes behind the CDN. Each image path is pinned to one origin node by a hash of the path so that the node's local disk cache stays warm.

## Root cause

The CDN's cache had been told not to keep that photo, because the product team had uploaded it with a `no-store` header during a test and never removed it. Every request went to origin, and because of the path pinning, all of them went to node four. Node four's network interface saturated at 10 Gbit/s and requests for every other image pinned to it queued behind the hot one.

## Timeline

- 18:02 request rate for one path climbs past 20k/s
- 18:09 latency alert for origin-4
- 18:21 Paolo finds the `no-store` header on the object
- 18:33 header corrected, CDN purge issued
- 18:50 origin-4 traffic back to baseline

## Action items

1. Strip `no-store` from product media at upload.
2. Allow the origin hash ring to spread very hot paths over three nodes.
3. Page on single-path request share above 20%.
""")

add('j-pg-int-sequence-ceiling', 'md', 'sre-template', ['PostgreSQL'], [], 'resource-exhaustion', None, ['counter-reaches-its-type-maximum'], None,
 'The events table primary key was a 32-bit integer serial; it reached 2,147,483,647 and Postgres refused inserts.',
 '2026-01-27', 'SEV1', 310, '', '', '',
"""# Postmortem: audit event inserts failing

**Severity:** SEV1  **Duration:** 310 minutes  **Author:** Kwame Lindqvist

## Impact

Every action in the Hollowbrook admin console that writes an audit record failed with a 500 between 03:14 and 08:24 UTC. Because audit writes are mandatory for compliance, the actions themselves (role changes, exports, user deletion) were blocked too.

## Root cause

The `audit_events` table was created in 2019 with a `serial` primary key, which in Postgres is a 32-bit integer. At 03:14 the sequence handed out 2147483647, its largest value, and the next call to nextval failed with "nextval: reached maximum value of sequence". Every insert after that errored.

We had a dashboard of table sizes but nothing that watched how close each sequence was to the maximum of its column type. The table grew far faster after the 2024 change that began recording read events as well as writes.

## Resolution

Altering the column to bigint in place would have rewritten a 900 GB table under an exclusive lock. Instead we:

1. created a new `audit_events_v2` table with a bigint identity column starting at 2147483648,
2. pointed writes to it behind a view with the old name (08:24, service restored),
3. backfilled reads through a union view during the following week.

## What went well

The on-call engineer found the error text in the logs within ten minutes.

## Action items

- Alert when any sequence passes 70% of its type's range (owner: Kwame).
- Lint new migrations for `serial` and `integer` keys (owner: Astrid).
""")

add('j-mysql-autoinc-unsigned-max', 'txt', 'email-thread', ['MySQL'], [], 'resource-exhaustion', None, ['counter-reaches-its-type-maximum'], None,
 'An INT UNSIGNED auto_increment column hit 4294967295 and InnoDB returned duplicate-key errors for every insert.',
 '2026-03-30', '', 140, 1200, '', '',
"""From: Leontyne Farrow
To: eng-all@saltcrest.io
Subject: Re: Message sending outage on Monday (summary)

Hi all,

A short summary of Monday's outage, as promised in standup.

What you saw: from 14:05 to 16:25 nobody could send a message in the Saltcrest app. Roughly 1,200 business accounts opened tickets. Reading old messages kept working.

What broke: the `messages` table in our main MySQL database uses an INT UNSIGNED auto_increment id. It reached 4294967295, the largest value that type can hold. After that, InnoDB tried to reuse the maximum value for each new row and every insert failed with "Duplicate entry '4294967295' for key PRIMARY". The app treated that as a generic write error and retried, which made the logs noisy but did no harm.

Why now: the table has been growing fast since the group-chat launch; we had estimated the ceiling at late next year based on last year's rate.

What we did: Theo switched message writes to a new table with a BIGINT key at 16:20 and the app started sending again by 16:25. The old table is read-only and will be merged over the coming weeks with gh-ost in the background.

What we will do:
- a weekly job that reports every auto_increment column above half its range
- the schema linter will reject INT ids on new tables

Thanks to Theo and Basia for the quick cutover.

Leontyne
""")

add('j-mailer-int16-ids', 'txt', 'narrative-no-headings', [], [], 'software-bug', None, [], 'counter-reaches-its-type-maximum',
 'Our own Go code stored a retry counter in an int16 that wrapped negative; looks like an id overflow but no catalog technology is involved.',
 '2026-06-08', '', 75, '', '', '',
"""Order confirmation e-mails at Brindlewick stopped on the afternoon of 8 June and stayed stopped for 75 minutes. Nothing was down in the usual sense: the mailer service was up, the mail provider was accepting requests, and the queue depth looked normal. What had stopped was our own code deciding that every e-mail was a duplicate.

The mailer keeps an in-process counter of how many messages it has sent since start-up and uses it, together with the host name, to build a message id. Somebody, years ago, declared that counter as an int16 to save space in a struct that is serialized into the envelope. A process that stays up long enough sends more than 32,767 messages, the counter wraps to negative numbers, and from then on the ids repeat ids the same process had already used. The deduplication step, seeing an id it had recorded earlier that day, dropped the e-mail quietly.

The process had been up for nine days because the usual Thursday deploy was skipped during the holiday freeze. Normally a restart every few days kept the counter far from the limit, which is why this had never happened before.

Aurelio found it by noticing that the dropped-message metric began at the exact minute the process crossed its 32,768th send. We restarted the mailers to stop the bleeding and then shipped a change that replaces the counter with a random 128-bit id. We also re-sent the 4,100 e-mails that had been dropped, after checking each against the order table.

Lesson we keep relearning: any counter needs a width that cannot be reached, or a test that reaches it.
""")
