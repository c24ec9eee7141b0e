C = []
def add(id, ext, style, causal, mentioned, cat, sec, themes, decoy, note, date, sev, dur, cust, cost, title, text, lenient=False):
    C.append(dict(id=id, ext=ext, style=style, causal=causal, mentioned=mentioned, cat=cat, sec=sec, themes=themes,
                  decoy=decoy, note=note, date=date, sev=sev, dur=dur, cust=cust, cost=cost, title=title, text=text, lenient=lenient))

add('j-ci-runner-disks-full', 'txt', 'whiteboard-bullets', [], [], 'resource-exhaustion', None, [], None,
 'Shared CI runners filled their disks with cached container layers; no catalog technology.',
 '2026-06-25', '', 260, '', '', '',
"""Retro board: "CI was down all afternoon" (25 Jun)

WHAT HAPPENED
* from 13:10 every pipeline failed at the checkout or image-pull step, across all repos
* error: no space left on device, on all 14 shared runners
* deploys frozen for about 260 minutes, including a hotfix the payments team needed

WHY
* runners cache container image layers locally so pulls are fast
* cache pruning is a nightly job on each runner. it was disabled in May while we debugged a slow-pull problem, with a note "re-enable Friday". it was never re-enabled
* the ML team started building 9 GB training images on the shared pool in June. six weeks of layers filled 500 GB disks
* runners kept accepting jobs while full, so every job failed fast and the queue looked "busy" rather than broken

WHAT WENT WELL
* Ayumi found the disk graphs within 20 minutes
* payments hotfix went out from a laptop with two approvers, following the break-glass doc

WHAT DIDN'T
* nobody owned the "re-enable Friday" note
* runners do not take themselves out of rotation when disk is low

ACTIONS
* prune job back on, with an alert when it has not run for 36h (Ayumi)
* runner health check: refuse jobs below 15% free disk (Joaquim)
* separate runner pool for large image builds (ML platform)
* temporary-disable changes get a ticket with an expiry date (everyone)
""")

add('j-staff-sso-down', 'md', 'wiki-page', [], [], 'dependency', None, [], None,
 'The third-party identity provider for staff single sign-on was down; internal tools unreachable. No catalog technology.',
 '2026-07-02', '', 105, '', '', '',
"""# Staff sign-in unavailable, 2 July

**Owner:** Ravi Castellanos. **Status:** closed.

## What happened

For 105 minutes on the morning of 2 July no one at Brackenfield could sign in to internal tools: the support console, the admin panel, the deploy system and the wiki. Customers could still use our product, but support could not look up accounts, and any incident during that window would have been handled blind.

All staff tools sign in through a hosted identity provider. That provider had an outage of its sign-in service in our region, acknowledged on its status page at 08:12 and resolved at 09:51. Existing sessions kept working until they expired, which is why a few people were unaffected at first.

## What made it worse

Our break-glass accounts for the deploy system and the admin panel also sign in through the same provider, which defeats their purpose. The one tool with a local account, the database console, was not useful for support work.

## Changes

- Break-glass accounts with local credentials, stored in the physical safe, for the deploy system, the admin panel and the support console.
- Session lifetime for staff tools raised from 8 to 12 hours, so a morning outage does not log out the whole office.
- A second provider evaluated for failover; decision by end of quarter.
- The incident runbook now starts with "can you sign in to the paging tool without single sign-on?", and the answer is yes.
""")

add('j-api-dns-long-ttl', 'txt', 'one-paragraph', [], [], 'network', 'operational-error', [], None,
 'A DNS record for the API was changed to a new load balancer while the old one was deleted before long TTLs expired. No catalog technology.',
 '2026-08-20', '', 240, '', '', '',
"""When Hazelrig moved its public API to a new load balancer on 20 August, a share of customers could not reach the API for about four hours, and the reason was the order of two steps in our migration plan. The DNS record for the API pointed at the old load balancer with a time-to-live of 86,400 seconds, a leftover from years ago when nobody expected it to change; the plan said to lower that TTL to 60 seconds a day in advance, and that step was skipped because the ticket for it sat in a different board from the migration itself. On the day, the engineer updated the record to point at the new balancer and, following the next step of the checklist, deleted the old balancer ten minutes later to stop paying for it. Every resolver that had cached the old answer in the previous day kept sending clients to an address that no longer answered, and would do so for up to 24 hours. We recreated a balancer at the old address at around 14:00, which took about four hours in total from the deletion because the address had to be reassigned by the provider's support team, and that ended the errors. Next time the TTL step is a gate in the same checklist, and old endpoints are kept for at least twice the old TTL.
""")

add('j-email-quota-deferred', 'json', 'json-export', [], [], 'resource-exhaustion', 'operational-error', [], None,
 'Our account at the e-mail sending vendor hit its monthly send quota; the vendor stopped sending. No catalog technology.',
 '2026-09-28', 'SEV3', 300, 12000, '', 'Password reset e-mails not delivered',
"""Password reset and verification e-mails were not delivered for about 300 minutes on 28 September. Roughly 12,000 users requested a reset or verification in that time and received nothing.

We send transactional e-mail through an external sending vendor on a plan with a monthly quota. A marketing campaign at the start of the month was, by mistake, sent through the transactional account rather than the marketing one, using up most of the month's allowance. On 28 September the account reached its quota and the vendor began accepting our API calls but quietly queuing the messages as "deferred - over plan limit" instead of sending them.

Because the API calls succeeded, our own error metrics showed nothing. Support noticed from tickets at around 14:30; the vendor confirmed the quota state at 15:10, and we raised the plan at 15:20. Deferred messages were sent over the following hour, many of them too late to be useful.

Actions: campaigns can only use the marketing account's credentials; daily check of remaining quota with an alert at 20%; a synthetic reset e-mail to a monitored inbox every 15 minutes.""")

add('j-sms-key-revoked', 'md', 'sre-template', [], ['MongoDB'], 'dependency', 'configuration-change', [], None,
 'MongoDB appears only in the list of affected systems (the sign-up records it stores were incomplete); the cause was an SMS vendor rejecting our revoked API key.',
 '2026-10-27', 'SEV2', 86, '', '', '',
"""# Incident: phone verification failing

- **Severity:** SEV2
- **Duration:** 86 minutes
- **Systems affected:** sign-up service, verification service, MongoDB user records (incomplete sign-ups)
- **Author:** Kofi Lindahl

## Summary

For 86 minutes no new user of Quarrystone could verify a phone number. Verification codes were never sent, so sign-ups stopped at the last step and were left half-finished in the user records.

## Cause

We send verification codes through an SMS vendor. On the vendor's side, the account owner had rotated our API keys as part of their annual security review, which their portal presents as a single button that revokes the old key immediately. The new key was saved in the vendor portal, but nobody updated the secret our verification service reads. From 10:04 every send returned 401 from the vendor.

The user store did what it always does with an unfinished sign-up: it kept the partial record. Those records are expected and are cleaned up after 24 hours; nothing was wrong with them or with the database holding them.

## Timeline

- 10:04 vendor returns 401 to every request
- 10:31 alert on sign-up completion rate
- 11:12 revoked key identified from the vendor's audit log
- 11:30 new key deployed; sends succeed

## Actions

1. Vendor keys are rotated only through our secrets process, which deploys the new key before revoking the old.
2. Alert on any 401 from the SMS vendor.
3. A note to the 1,900 users who abandoned sign-up, with a link to resume.
""")
