C = []
def add(id, ext, style, causal, mentioned, cat, sec, themes, decoy, note, date, sev, dur, cust, cost, title, text, lenient=False):
    C.append(dict(id=id, ext=ext, style=style, causal=causal, mentioned=mentioned, cat=cat, sec=sec, themes=themes,
                  decoy=decoy, note=note, date=date, sev=sev, dur=dur, cust=cust, cost=cost, title=title, text=text, lenient=lenient))

add('j-eu-central-provider-event', 'html', 'html-page', [], ['DynamoDB', 'S3', 'SQS'], 'dependency', None, [], None,
 'The cloud provider had a regional control-plane event; its status page listed DynamoDB, S3 and SQS among degraded services. The provider outage is the cause; the services are only listed as degraded.',
 '2026-09-30', '', 150, '', '', '',
"""<html><head><title>Service disruption in eu-central, 30 September</title></head><body>
<h1>Service disruption in eu-central, 30 September</h1>
<p><em>Published by the Wrenfield infrastructure team</em></p>
<h2>What customers saw</h2>
<p>From 13:40 to 16:10 (150 minutes) uploads to Wrenfield Photos in Europe failed or took minutes, and shared albums loaded slowly. Customers in other regions were not affected.</p>
<h2>What happened</h2>
<p>Our cloud provider had an internal networking event in one availability zone of eu-central that spread to the regional endpoints of several of its services. Their health dashboard listed elevated error rates and latencies for, among others, Amazon S3, Amazon DynamoDB, Amazon SQS, the load balancing service and the container registry. We use the first three for uploads, metadata and processing jobs, so every step of an upload was slowed at once.</p>
<p>None of our own configuration changed that day, and none of these services was misused or over its limits on our side. Requests that reached healthy zones succeeded; those routed through the affected zone timed out.</p>
<h2>What we did</h2>
<ul>
<li>13:55 we moved our own compute out of the affected zone.</li>
<li>14:30 we enabled a banner and paused the upload-retry storm from our mobile app.</li>
<li>16:10 the provider reported recovery and our error rates returned to normal.</li>
</ul>
<h2>What we are changing</h2>
<ul>
<li>Uploads will fall back to a second region for storage and queueing when error rates in the first pass 20%.</li>
<li>The mobile app backs off exponentially instead of retrying every two seconds.</li>
</ul>
<p>We are sorry for the disruption. The provider's own summary of the event is linked from our status page.</p>
</body></html>
""")

add('j-exporter-goroutine-leak', 'txt', 'ticket-history', [], ['PostgreSQL'], 'software-bug', None, [], None,
 'The metrics exporter for the database leaked goroutines and stopped reporting; dashboards went blank and alerts misfired. The database was fine; the tool for it failed.',
 '2026-10-07', '', 200, '', '', '',
"""OBS-771  database dashboards blank, false alerts
opened by Gwendolyn Szabo, 7 Oct 09:15

09:15 every panel on the Postgres overview dashboard shows "no data" since about 06:00. two "database down" alerts fired and auto-resolved overnight
09:22 connected directly: all instances up, replication current, queries fine. application error rates normal all night. the databases were never down
09:40 the metrics exporter process on each database host is running but its scrape endpoint takes 40+ s to answer and the monitoring server gives up after 10 s
09:55 exporter memory at 3 GB and climbing. goroutine count 180k. it opens a new goroutine per custom query on every scrape and, when a query exceeds its timeout, never cleans it up
10:10 one of the custom queries (table bloat estimate) began exceeding the timeout last week as the biggest table grew. since then each scrape leaks one
10:30 removed the bloat query from the exporter config and restarted exporters. panels back
12:35 confirmed memory flat for two hours. closing; 200 min of missing metrics in total

cause: a bug in the exporter's timeout handling, triggered by a slow custom query. no effect on the databases or on customers, apart from the false pages.
follow-ups: move the bloat estimate to a daily job; upgrade exporter (fixed upstream in a later release); alert on "no data" separately from "down" so a missing exporter is not reported as a dead database
""")

add('j-tile-health-path-moved', 'md', 'blog', [], ['Kafka', 'Redis', 'Cassandra'], 'network', 'deployment', [], None,
 'The stack description names Kafka, Redis and Cassandra as background; the outage came from a load balancer health-check path change that marked every backend unhealthy.',
 '2026-11-12', '', 31, '', '', '',
"""# Thirty-one minutes of 503s

Marigold Maps serves about 40,000 tile requests per second. Behind the public load balancers we run a fleet of tile renderers; tiles are cached in Redis, map edits flow through Kafka, and vector data is stored in Cassandra. We mention the stack because a few readers asked after our last post, but none of it features in this story.

On 12 November at 17:06, the public load balancers began returning 503 for every request. Each renderer was running and answering requests sent to it directly.

The load balancers decide whether a renderer is healthy by calling a health path every five seconds. That afternoon a change to the renderer's HTTP routing moved all internal endpoints under a new prefix, including the health path. The load balancer configuration lives in a separate repository and still pointed at the old path. As renderers were replaced by the rolling update, the new ones answered the old health path with 404, the load balancers marked them unhealthy, and when the last old renderer left at 17:06, no healthy backend remained and the load balancers answered 503 on their own.

We pointed the health check at the new path at 17:37 and traffic recovered at once.

Two lessons. First, a health path is an interface between two teams and now has a contract test. Second, when every backend is unhealthy the load balancer now fails open and sends traffic to all of them, which would have turned this outage into nothing at all.
""")

add('j-help-center-reranker-flag', 'txt', 'voice-memo', [], ['OpenSearch'], 'configuration-change', None, [], None,
 'Search was suspected and cleared; the real fault was a feature flag that sent all queries to the new ranking service with a 200 ms timeout.',
 '2026-12-01', '', 39, '', '', '',
"""Voice memo transcript, Cosmin Haddad, after the Tuesday search incident.

Okay, recording this while it's fresh. Search results on the help center were empty for about thirty-nine minutes this afternoon. Customers typed a question and got "no articles found".

First thing everybody said was the cluster. We run the help center index on Amazon OpenSearch Service, and the last two times search broke it was the cluster. So we spent, honestly, fifteen minutes on that. Domain health green, no rejected requests, latency normal, and when I ran the same query straight against the domain from a notebook I got fifty results. So it wasn't that. I want that in the writeup because we lost time on it.

What it was: the new ranking service. Product turned on a feature flag at 14:02 to send all help center queries through the re-ranker instead of ten percent. The help center calls the re-ranker with a two hundred millisecond timeout and, when it times out, the code returns an empty list instead of falling back to the unranked results. At ten percent of traffic the re-ranker was fast. At a hundred percent it queued and most calls went past two hundred milliseconds. Empty lists everywhere.

Turned the flag back to ten percent at 14:41. Results back right away.

Things to do. Timeout fallback returns the original order, not nothing. Flag changes over fifty percent need a load test first. And the dashboard should show re-ranker latency next to search latency so the next person doesn't start where we did.
""")

add('j-rate-limiter-lua-stall', 'md', 'sre-template', ['Redis'], [], 'software-bug', None, [], None,
 'Ambiguous: a Lua script in Redis blocked the server for seconds, but the script was our own and ran slowly only on a huge key our code created. Redis single-threaded behaviour is part of the cause; marked lenient.',
 '2026-02-09', 'SEV3', 24, '', '', '',
"""# Rate limiter stalls

**Severity:** SEV3  **Duration:** 24 minutes  **Author:** Yara Kristiansen

## Summary

The API rate limiter at Glasswing stalled for about 24 minutes in short bursts. During each burst every API request waited one to three seconds before being served.

## What happened

The rate limiter stores each customer's request timestamps in a sorted set and trims old entries with a Lua script that runs inside Redis on every request. For most customers the set holds a few hundred entries and the script takes microseconds.

One customer's integration had been misbehaving for a week, sending bursts that were all rejected, and our code added a timestamp even for rejected requests. Their set grew to 11 million entries. The trim step in the script removed entries in a loop rather than with one range command, so for that key a single EVALSHA took up to three seconds. Redis runs scripts to completion on its one command thread, so while it ran, every other client's command waited.

Whether to call this the cache's behaviour or our bug is honestly unclear to us. The script and the data shape were ours; the stall was how the server runs scripts.

## Resolution

We deleted the oversized key at 15:48 and stalls stopped. The script now uses ZREMRANGEBYSCORE and rejected requests are no longer recorded.

## Actions

- Cap sorted set size per customer.
- Alert on slow log entries over 50 ms.
- Review all Lua scripts for per-element loops.
""", lenient=True)

add('j-snapshot-upload-credential', 'txt', 'terse-log', [], ['etcd'], 'configuration-change', None, [], None,
 'The cluster backup tool lost write access to its storage after a credential rotation; backups silently failed for nine days. etcd itself was healthy. No outage, only a gap.',
 '2026-08-26', '', '', '', '', '',
"""near-miss review  k8s snapshot backups missing
author: Ivo Papadakis

what: a restore drill on 26 Aug found no control-plane snapshots newer than 17 Aug for any production cluster. no outage, no data loss, but we had nine days with no recovery point.

log of findings:
- snapshot job runs every 6h, takes an etcd snapshot, and uploads it to the backup vault
- the snapshots themselves were being taken fine; files present on local disk of each control-plane node with correct sizes and checksums
- upload step failing with 403 since 17 Aug 02:00
- 17 Aug: secrets team rotated the vault service credentials. the backup job reads its credential from a file that is written once at node boot, so it kept using the old one
- the job's wrapper script swallowed the upload exit code and reported success to the scheduler. so no alert

fix:
- job now reads the credential from the secrets agent on every run
- wrapper fails the job on any non-zero step
- alert when newest off-host snapshot is older than 8h
- monthly restore drill stays; it is the only reason we found this

all snapshots from local disks uploaded manually on 26 Aug. drill repeated and passed.
""")
