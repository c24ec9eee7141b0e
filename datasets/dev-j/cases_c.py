C = []
def add(id, ext, style, causal, mentioned, cat, sec, themes, decoy, note, date, sev, dur, cust, cost, title, text, lenient=False):
    C.append(dict(id=id, ext=ext, style=style, causal=causal, mentioned=mentioned, cat=cat, sec=sec, themes=themes,
                  decoy=decoy, note=note, date=date, sev=sev, dur=dur, cust=cust, cost=cost, title=title, text=text, lenient=lenient))

add('j-es-terms-agg-breaker', 'md', 'blog', ['Elasticsearch'], [], 'resource-exhaustion', 'capacity', ['search-heap-trips-breakers'], None,
 'A new dashboard ran high-cardinality terms aggregations over a year of logs; Elasticsearch heap climbed, the parent circuit breaker tripped and searches were rejected.',
 '2026-03-05', '', 70, '', '', '',
"""# How one dashboard took down log search

Tuesday afternoon, log search at Marrowfield was unusable for about seventy minutes. Engineers debugging an unrelated problem got "circuit_breaking_exception" on every query. Here is why.

The product analytics team had published a new dashboard that counted distinct user agents per customer over the past twelve months. Each panel refresh sent a terms aggregation with a size of 50,000 on a field with millions of distinct values, across 365 daily indices. Eight people opened the dashboard at the start of a review meeting, and the panels refresh every thirty seconds.

Our Elasticsearch data nodes each have a 31 GB heap. Building those aggregation buckets needed far more memory than the nodes could hold at once. Heap on every data node passed 95%, the parent circuit breaker started rejecting requests to protect the node, and two nodes spent so long in garbage collection that the master removed them from the cluster. That triggered shard recovery, adding more heap pressure.

We asked the analytics team to close the dashboard, which stopped the load within a minute, and the two nodes rejoined. Recovery of their shards took another forty minutes, during which searches were slow but worked.

The cluster was sized for our own debugging traffic, not for analytical scans across a year. We now route dashboards through a separate role with search.max_buckets lowered to 10,000 and a query timeout, and the analytics team has a columnar store better suited for distinct counts.
""")

add('j-opensearch-bulk-jvm-pressure', 'json', 'json-export', ['OpenSearch'], [], 'resource-exhaustion', 'configuration-change', ['search-heap-trips-breakers'], None,
 'A reindex job with a bulk size raised tenfold drove JVMMemoryPressure on the Amazon OpenSearch Service domain past 90%; breakers rejected writes and nodes restarted.',
 '2026-05-27', 'P2', 95, '', '', 'Product search indexing rejected during reindex',
"""Incident P2 - product search indexing.

Customer impact: sellers on Greywillow Market could not update listings for 95 minutes on 27 May; updates were accepted by the API but did not show in search. Buyers saw stale prices.

Cause: a one-off reindex to add a synonym field was started against the production Amazon OpenSearch domain during business hours. The job's bulk request size had been raised from 5 MB to 50 MB in its config to make it finish overnight on a test domain. Against production, which was also serving live listing updates, each data node received bulk requests faster than it could index them. JVMMemoryPressure rose past 90% on all six data nodes. The domain's circuit breaker rejected bulk requests, including the live listing updates, with HTTP 429, and two nodes were restarted by the service after heap exhaustion, leaving shards unassigned for several minutes.

Detection: seller support tickets, then the indexing error-rate alarm 20 minutes later.

Resolution: the reindex job was stopped at 11:48. Pressure fell below 75% within ten minutes; shards reallocated. Live updates caught up from the retry queue by 12:35.

Follow-up: reindexing runs only on a separate domain with an alias swap at the end; bulk size limited to 10 MB in shared config; alarm on JVMMemoryPressure over 80% for five minutes.""")

add('j-search-gateway-export-oom', 'md', 'wiki-page', [], ['Elasticsearch'], 'software-bug', None, [], 'search-heap-trips-breakers',
 'Heap exhaustion was in our own Java search gateway that buffered whole responses; Elasticsearch answered normally throughout.',
 '2026-10-02', '', 33, '', '', '',
"""# Search gateway OOM, 2 October

**Status:** closed. **Owner:** Tomasz Adeyemi.

Our search gateway is a small Java service that sits between the web app and the Elasticsearch cluster. It adds tenant filters, rewrites queries, and merges results from the product and article indices.

For 33 minutes on 2 October the gateway instances kept dying with heap exhaustion, and site search returned errors. The cluster behind them looked fine the whole time: request latency flat, heap normal, no breaker trips, no rejected requests. We checked that early because heap trouble is usually the cluster's.

The gateway's heap was the problem. A feature shipped the week before let customers export search results, and the export path reused the normal search client, which buffers the whole response in memory before streaming it out. An export of 200,000 articles produced a response of about 1.5 GB. Three customers started exports within a few minutes of each other, and each gateway instance that took one ran out of its 2 GB heap. Load balancers sent retries to other instances, which died the same way.

We disabled exports with a feature flag, which stopped the crashes immediately. The fix, now deployed, pages through results with search_after and streams each page to the client, so the gateway never holds more than one page.

We also added a per-request response size cap in the gateway and a load test that runs an export of one million documents.
""")
