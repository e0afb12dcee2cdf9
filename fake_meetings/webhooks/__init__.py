"""Daily's webhooks (contract part two, §13): the webhook object and its checks, the events'
bytes exactly as JavaScript's ``JSON.stringify`` writes them, signing, and delivery with
Daily's retry policies. Events come from the timeline (``domain/events.py``); a namespace's
:class:`~fake_meetings.webhooks.desk.WebhookDesk` turns its changes into deliveries."""
