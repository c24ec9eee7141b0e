C = []
def add(id, ext, style, causal, mentioned, cat, sec, themes, decoy, note, date, sev, dur, cust, cost, title, text, lenient=False):
    C.append(dict(id=id, ext=ext, style=style, causal=causal, mentioned=mentioned, cat=cat, sec=sec, themes=themes,
                  decoy=decoy, note=note, date=date, sev=sev, dur=dur, cust=cust, cost=cost, title=title, text=text, lenient=lenient))

add('j-edge-prefix-withdrawn', 'md', 'blog', [], [], 'network', 'operational-error', [], None,
 'A router change at our edge withdrew our public prefix; no catalog technology involved.',
 '2026-01-08', '', 53, '', '', '',
"""# We disappeared from the internet for 53 minutes

At 10:17 on 8 January, every Tidewell service became unreachable from outside our network. Internally, everything was running. From the internet's point of view, our addresses had simply stopped existing.

We announce our public address block to two transit providers over BGP from a pair of edge routers. An engineer was replacing an old prefix filter on the first router with a cleaner one. The new filter had a typo in the prefix length, so it matched nothing, and the router stopped announcing our block to its provider. That alone would have been fine, because the second router still announced it. But the engineer, following the change plan, applied the same filter to the second router four minutes later, having checked only that the first router's sessions were still up, which they were, just carrying nothing.

Once both routers had withdrawn the route, providers dropped it, and within a couple of minutes most of the internet had no path to us.

We restored the old filter on both routers at 11:06. Routes propagated and traffic returned by 11:10.

What we changed:

- Filter changes are validated with a dry run that shows the prefixes announced before and after.
- The change plan waits for external route visibility from a looking glass before touching the second router.
- An external monitor alerts when our prefix is missing from public route collectors.
""")

add('j-api-cert-lapsed', 'txt', 'customer-letter', [], [], 'network', None, [], None,
 'The public TLS certificate on the API domain expired because the renewal job used a retired DNS-validation token. No catalog technology.',
 '2026-02-21', '', 190, 640, '', '',
"""Dear Saltmarsh Bank business customer,

On Saturday 21 February, from 06:00 until 09:10, the connection between your accounting software and our business API failed. Your bank accounts, payments and balances were never affected, and no data was exposed. We are writing to explain what happened, because 640 of you contacted us that morning and you deserve a clear account.

Every connection to our API is protected by a certificate that proves it is really us. Certificates have an expiry date, and ours are renewed automatically about thirty days before that date. The renewal for the API address failed in January because it relied on a validation record in our domain settings that had been removed during a clean-up of old entries. The renewal system recorded the failure, but the notice went to a mailbox belonging to a team that no longer exists. At 06:00 on Saturday the certificate expired, and your software, rightly, refused to connect to a server it could not verify.

Our weekend engineer noticed the error rate at 08:20, a new certificate was issued at 08:55, and connections recovered by 09:10.

We have restored the validation record, moved renewal notices to our on-call system, and added a daily check that alerts us when any certificate has fewer than 21 days left. If anything in your accounting software still looks out of date, please re-run the sync or call us on the business line.

With apologies,
Ottilie Brandt
Head of Business Banking Operations
""")

add('j-card-processor-errors', 'txt', 'status-page', [], [], 'dependency', None, [], None,
 'The card payment processor had an outage; our service depended on it. No catalog technology.',
 '2026-03-18', 'Major', 74, '', '', '',
"""Card payments failing - Postmortem

Severity: Major
Affected: card checkout on web and app
Duration: 74 minutes (11:32 - 12:46 UTC, 18 March)

What happened
Between 11:32 and 12:46, most card payments at Fernhollow Books were declined with a generic error. PayPal and gift card payments worked throughout.

Our card payments are authorised by an external payment processor. At 11:32 their authorisation service began returning errors for roughly 80% of requests. Their own status page confirmed an incident at 11:51 and recovery at 12:44. We made no changes on our side during the incident, and our checkout service behaved as designed, passing each error to the customer with a request to try another method.

What went wrong on our side
We had a secondary processor configured, but switching to it required a deployment that takes about 40 minutes to pass our pipeline, so we decided to wait. In hindsight, a runtime switch would have cut the impact by half.

What we are doing
- Processor selection becomes a runtime setting with automatic failover when the primary's error rate exceeds 30% for two minutes.
- The customer-facing message will say payments are temporarily unavailable instead of "declined", which alarmed many customers.
- We are reviewing the processor's commitments with them.

We apologise to everyone whose order was interrupted.
""")

add('j-month-end-logout', 'md', 'sre-template', [], [], 'software-bug', None, [], None,
 'Our own date arithmetic for token expiry broke on a date boundary, logging everyone out. No catalog technology.',
 '2026-03-31', 'SEV2', 95, 21000, '', '',
"""# Postmortem: mass logout at month end

| | |
|---|---|
| Severity | SEV2 |
| Duration | 95 minutes |
| Users affected | about 21,000 |
| Author | Beatriz Nakamura |

## Summary

On 31 March every signed-in user of the Pinecrest scheduling app was signed out, and new sign-ins produced a token that was instantly rejected. Users could not sign in for 95 minutes.

## Cause

Our auth service sets a token's expiry "one month from now" by adding one to the month field of the current date and keeping the day. On 31 March that produced 31 April, which does not exist. The date library we use does not raise an error for that; it rolls the extra day forward and returns 1 May, which is fine. But the expiry check, written separately years ago, parsed the stored expiry string with a stricter parser that rejects invalid days and treats any parse failure as "expired".

The issue only appears when the current day of the month does not exist in the next month. It had happened before on 31 January, when the result was 31 February and the sign-in flow then was different, and no one linked the two.

## Resolution

A hotfix at 10:35 replaced the month arithmetic with a fixed 30-day duration. Users could sign in again immediately.

## Actions

- Property-based tests for every date calculation covering all days of a leap year and a normal year.
- One shared date module for the auth service; the second parser removed.
""")

add('j-flag-rules-replaced', 'txt', 'chat-export', [], [], 'configuration-change', None, [], None,
 'A feature flag targeting rule used the wrong country list, hiding the shop in one market. No catalog technology.',
 '2026-04-29', '', 130, '', '', '',
"""#mkt-launch thread export, 29 Apr

[09:05] lotte: Canada launch flag turned on, targeting rule "country in [CA]"
[09:40] support-bot: 38 tickets in 20 min from Austria: "shop says not available in your country"
[09:44] fredrik: checking. Austrian visitors get the "coming soon" page
[09:48] fredrik: the flag service has two targeting rules on that flag. lotte's rule, and an older one from the Austria launch that says "country not in [AT, DE, CH] -> off". when lotte edited the flag she replaced the whole rule list from the template, and the template rule order puts the new "else off" default first
[09:50] lotte: oh no. so everyone not in CA gets off, and Austria's own launch flag depends on this one
[09:52] fredrik: yes, the Austria storefront checks this flag as a parent. evaluated off, so the whole Austrian shop shows coming soon
[09:58] lotte: restoring the previous version of the flag from history
[10:02] fredrik: history restore fails, flag service says the version is too old for one-click restore. rebuilding the rules by hand
[11:15] fredrik: rules rebuilt and reviewed by two people. Austria sees the shop, Canada sees the shop
[11:15] fredrik: total ~130 min from the change
[11:20] lotte: for the writeup: flag edits from templates need a diff preview, and parent-child flags should show their children before you save
[11:22] fredrik: and longer history retention in the flag service
""")

add('j-app-84-font-crash', 'md', 'blog', [], [], 'deployment', None, [], None,
 'A mobile app release crashed on launch for one OS version because of a missing font asset; no catalog technology.',
 '2026-05-21', '', 480, 33000, '', '',
"""# Version 8.4 and the font that was not there

Last Thursday we released version 8.4 of the Kiteline app. For people on the oldest OS version we support, it crashed on launch. About 33,000 people opened the app and had it close on them before we stopped the rollout, and a fix took eight hours to reach everyone, 480 minutes in all.

The crash came from a new typeface the designers had chosen for headings. Newer OS versions ship a system font we fell back to whenever the bundled font was missing; the oldest supported version does not. Our build dropped the bundled font file because the asset catalogue entry had the wrong target membership, so on newer phones the fallback quietly covered for it and on older phones the first screen crashed when it tried to draw a heading.

Our test matrix included that OS version only in the nightly run, not in the release candidate run, to save time. The nightly had been red for two days with this exact crash, under a label that said "flaky", which we had learned to ignore.

We halted the staged rollout at 20%, fixed the asset membership, and submitted 8.4.1 for review, which was approved the same afternoon.

What we changed: the oldest supported OS version runs on every release candidate; a failing nightly blocks the next release until someone explains it; and a build step checks that every font referenced in styles is in the bundle.
""")
