C = []
def add(id, ext, style, causal, mentioned, cat, sec, themes, decoy, note, date, sev, dur, cust, cost, title, text, lenient=False):
    C.append(dict(id=id, ext=ext, style=style, causal=causal, mentioned=mentioned, cat=cat, sec=sec, themes=themes,
                  decoy=decoy, note=note, date=date, sev=sev, dur=dur, cust=cust, cost=cost, title=title, text=text, lenient=lenient))

add('j-recs-client-timeout-default', 'md', 'blog', [], ['Redis'], 'deployment', None, [], None,
 'A client library upgrade changed the default command timeout to 50 ms and disabled retries; the Redis server was healthy. Fault in our release of the client, not in Redis.',
 '2026-01-22', '', 44, '', '', '',
"""# The timeout that moved

On 22 January, roughly one request in eight to the Copperlane recommendations API failed for 44 minutes. Our cache sat at the center of the graphs, so that is where everyone looked first.

The cache server itself was quiet: commands per second normal, latency under a millisecond at the server, no evictions, no failovers. What the server logs did show was a lot of clients disconnecting in the middle of commands.

The answer was in a dependency bump. The recommendations service had shipped that morning with a new major version of its Redis client library. The changelog, which we read afterwards, says the default command timeout fell from one second to 50 milliseconds and automatic retries on timeout were switched off. Our service never set those values explicitly. Ordinary commands finish well inside 50 ms, but the handful of large MGET calls the service makes for popular users sometimes take 60 to 80 ms end to end over the network, and under the new defaults every one of them was cancelled on the client side and surfaced as an error.

Rolling the service back to the previous build at 11:02 ended it. The fix that went out in the afternoon pins both settings in our config and splits the large MGETs into batches of 100 keys.

We now treat client library major versions like any other risky change: read the changelog, diff the effective defaults, and canary with real traffic. None of that is about the cache; the server never misbehaved.
""")

add('j-portal-idle-connection-resets', 'txt', 'terse-log', [], ['MongoDB'], 'network', None, [], None,
 'A firewall rule change on the core switch dropped long-lived idle connections; MongoDB drivers saw resets. The network device was at fault.',
 '2026-02-14', '', 66, '', '', '',
"""OPS LOG - Valewood Health - patient portal errors - 14 Feb

13:02 portal error rate 6%, all errors are "connection reset" from the data layer
13:05 appointments and messages services both affected. both use the same Mongo cluster
13:09 cluster looks normal: primary steady, no elections, replication lag 0, opcounters flat
13:15 resets happen on connections that were idle for a while, new connections work fine
13:22 asked network team about changes. answer: at 12:55 they pushed a new policy to the core firewall pair, shortening the idle TCP timeout from 60 min to 5 min for the database VLAN
13:24 driver pools keep connections open for 30 min idle. firewall now silently forgets them after 5; next use gets a reset
13:40 network team restored the 60 min idle timeout on the database VLAN
13:51 no new resets. pools recycled the dead connections within a few minutes
14:08 closed. 66 min of elevated errors

why: the firewall policy change was made for a different VLAN and applied to all of them by template.
actions:
- network: per-VLAN overrides in the policy template, and change notices to app on-call
- app: driver maxIdleTimeMS set to 4 min so pools drop idle connections before any middlebox does
- add a synthetic check that idles a connection 10 min then uses it
""")

add('j-db-proxy-intermediate-expiry', 'md', 'sre-template', [], ['PostgreSQL'], 'network', None, [], None,
 'The internal CA intermediate certificate expired; clients refused TLS to the database proxy. Postgres itself untouched. Certificate expiry is network.',
 '2026-03-01', 'SEV2', 38, '', '', '',
"""# Postmortem: database connections refused on 1 March

**Severity:** SEV2. **Duration:** 38 minutes. **Author:** Rosalind Achebe.

## Impact

All services at Midvale Credit that open new database connections failed to do so from 00:00 to 00:38 UTC. Services with warm connection pools kept working until their connections were recycled.

## What we saw

The errors said "certificate verify failed" on connect. Because they came from the database layer, the first page went to the database on-call. The Postgres servers were running, accepting local connections, and had no errors in their logs; they were not involved.

## Cause

Services reach the database through our TLS-terminating proxy, whose server certificate is issued by an internal intermediate CA. That intermediate certificate was valid until midnight on 1 March. Our renewal automation rotates leaf certificates every thirty days but never touched the intermediate, which was created by hand four years ago and was on nobody's calendar. At midnight every client's chain validation failed.

## Resolution

Security issued a new intermediate from the offline root, the proxy's certificate chain was rebuilt at 00:31, and proxies were reloaded by 00:38.

## Actions

- Inventory every CA and intermediate with expiry dates, with alerts at 60, 30 and 7 days.
- Renewal automation extended to intermediates.
- The connection error message in our service template now names the proxy, not the database.
""")

add('j-node-dns-conntrack', 'txt', 'chat-export', [], ['Kafka'], 'network', None, [], None,
 'Node-local DNS cache crashed under a kernel conntrack limit; clients could not resolve the broker bootstrap names. Kafka brokers fine.',
 '2026-04-11', '', 27, '', '', '',
"""#incident-ordering (export)

[08:14] jasper: order events producer failing with "bootstrap broker disconnected" on about half the nodes
[08:15] jasper: brokers look fine from my laptop. ISR full, no under-replicated, controller stable
[08:17] mei: consumers on the same nodes also failing. nodes without the problem are fine. this is per host, not per service
[08:19] mei: on a bad node: `dig kafka-1.internal` times out. on a good node it returns instantly
[08:21] mei: node-local DNS cache pods on the bad nodes are in CrashLoopBackOff. logs show "conntrack table full" drops for UDP to the upstream resolver
[08:22] jasper: so the apps can't even find the brokers. nothing to do with Kafka itself
[08:25] mei: conntrack max on those nodes is still the old image default. a new batch of nodes joined this morning with heavier traffic and filled it
[08:29] mei: raised nf_conntrack_max on all nodes via daemonset, restarted the DNS cache pods
[08:35] jasper: producers reconnecting, backlog draining from the outbox table
[08:41] jasper: all green. 27 min in total
[08:43] mei: writeup items: bake the conntrack setting into the node image, alert on DNS cache restarts, add a resolve check to node readiness
[08:44] jasper: also let's get the producer to log the DNS error instead of "broker disconnected". it sent us the wrong way for the first five minutes
""")

add('j-amqp-frontend-maxconn', 'md', 'wiki-page', [], ['RabbitMQ'], 'configuration-change', 'network', [], None,
 'HAProxy in front of the brokers had maxconn lowered in a config refactor; new AMQP connections queued at the proxy. RabbitMQ had capacity to spare.',
 '2026-05-06', '', 52, '', '', '',
"""# Message publishing timeouts, 6 May

**Owner:** Dmitri Lundgren

## Summary

For 52 minutes on 6 May, services at Ashgrove Games that open short-lived connections to publish match results timed out. Long-lived consumers were unaffected.

## Where the connections stopped

The brokers never saw the failing attempts. Each RabbitMQ node reported about 1,900 connections, far below what it accepts, with memory and file descriptors well within limits. The load balancer in front of the cluster, an HAProxy pair, told a different story: its frontend was at exactly 2,000 current connections and the queue of pending connections was growing.

A refactor of the HAProxy configuration merged that morning moved settings from per-frontend blocks into a shared defaults section. The AMQP frontend had carried its own maxconn of 20,000; in the new file it inherited the shared default of 2,000. Once the long-lived consumers plus a normal burst of publishers reached 2,000, every extra connection waited in HAProxy until the client gave up.

## Fix

Restored maxconn 20,000 for the AMQP frontend at 15:47, and errors stopped at once.

## Follow-ups

- A test that renders the HAProxy config and compares effective limits per frontend with the previous version.
- Publishers reuse a pooled connection instead of connecting per message.
- Alert on HAProxy frontend connections at 80% of maxconn.
""")

add('j-export-cleanup-wrong-profile', 'txt', 'handover-note', [], ['S3'], 'data-loss-corruption', 'operational-error', [], None,
 'An engineer ran a cleanup script with the production profile instead of staging, deleting production export files; the object store did what it was told.',
 '2026-06-02', '', 120, 75, '', '',
"""Handover, 2 June, from Annika to the evening on-call

Today's incident, short version so you have it if customers call.

At 14:10 I ran the stale-export cleanup script meant for staging. My shell still had the production profile exported from an earlier session, and the script takes its account from the environment, not from an argument. It found 2,300 exports older than seven days in the production export bucket and deleted them. The production bucket lives in S3 like staging does; nothing in the storage service malfunctioned, it received valid delete calls from a valid role.

Versioning is on for that bucket, so the objects were not gone, only hidden behind delete markers. Bogdan wrote a restore that removed the delete markers for anything deleted between 14:10 and 14:15. All 2,300 files were back by 16:10, so customers were affected for about 120 minutes. Support has 75 tickets from customers who tried to download a report in that window; they have all been told the files are back.

What I'm changing tomorrow:
- the script will require an explicit --env flag and refuse if it differs from the account it actually runs in
- prompt colour for the production profile on all our laptops
- the production cleanup role loses s3:DeleteObject on the export prefix; the lifecycle rule already handles production

Nothing for you to do unless someone says a file is still missing; if so, the restore script is in the ops repo under export-restore.
""")
