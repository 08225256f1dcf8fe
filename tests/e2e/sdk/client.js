// Sends every event type to a Switchyard host through the unmodified RudderStack Node SDK, as a
// customer's server would: gzip-compressed batches POSTed to <url>/v1/batch with the write key.
//   node client.js <host-url> <write-key>      (or SWITCHYARD_URL / SWITCHYARD_WRITE_KEY)
// Prints one JSON line {"events", "batches", "gzip"} and exits 0 once the host accepted every
// event; exits 1 naming the host's answer (or the network error) otherwise, 2 on bad usage.
'use strict';

const Analytics = require('@rudderstack/rudder-sdk-node');

const [url = process.env.SWITCHYARD_URL, writeKey = process.env.SWITCHYARD_WRITE_KEY] = process.argv.slice(2);
if (!url || !writeKey) {
  console.error('usage: node client.js <host-url> <write-key> (or set SWITCHYARD_URL and SWITCHYARD_WRITE_KEY)');
  process.exit(2);
}

const failures = [];
const describe = (err) =>
  err && err.response ? `HTTP ${err.response.status}: ${JSON.stringify(err.response.data)}` : String(err && (err.code || err.message || err));

const analytics = new Analytics(writeKey, {
  dataPlaneUrl: url,
  flushAt: 100, // the SDK sends the first event at once; everything after it goes in one batch
  flushInterval: 60000, // no timer flush: the flush() below sends
  timeout: 10000, // ms per request, so a hung host fails the run instead of stalling it
  logLevel: 'error',
  // Without it a failed request rejects a flush that nobody awaits; with it, the run reports it.
  errorHandler: (err) => failures.push(describe(err)),
});

// The SDK calls each event's callback with the request body it sent: the gzip bytes, shared by
// the events of one batch. Counting them tells how many requests went out and how.
let sent = 0;
let acked = 0;
const bodies = new Set();
const send = (call, message) => {
  sent += 1;
  analytics[call](message, (err, body) => {
    if (err) return;
    acked += 1;
    bodies.add(body);
  });
};

// Ada signed up with ada@example.com; the alias moves her to the email her userId carries.
// Her events share one userId, so the host delivers them in order, the alias last.
const ada = 'ada.lovelace@example.com';
send('identify', { userId: ada, traits: { email: 'ada@example.com', name: 'Ada', plan: 'pro' } });
send('track', { userId: ada, event: 'Signed Up', properties: { seq: 1, referrer: 'newsletter' } });
send('page', { userId: ada, name: 'Pricing', properties: { seq: 2, path: '/pricing' } });
send('screen', { userId: ada, name: 'Home', properties: { seq: 3 } });
send('alias', { userId: ada, previousId: 'ada@example.com' });

const bob = 'bob@example.com';
send('identify', { userId: bob, traits: { email: bob, name: 'Bob', plan: 'free' } });
send('track', { userId: bob, event: 'Clicked', properties: { seq: 4, button: 'upgrade' } });
send('page', { userId: bob, name: 'Docs', properties: { seq: 5 } });
send('screen', { userId: bob, name: 'Settings', properties: { seq: 6 } });

(async () => {
  await analytics.flush();
  // Event callbacks run on setImmediate after the request settles; let them run first.
  await new Promise((resolve) => setImmediate(resolve));
  const gzip = [...bodies].every((b) => Buffer.isBuffer(b) && b[0] === 0x1f && b[1] === 0x8b);
  if (failures.length || acked !== sent) {
    console.error(`The host did not accept every event (${acked} of ${sent}): ${failures.join('; ') || 'no answer'}`);
    process.exitCode = 1;
    return;
  }
  console.log(JSON.stringify({ events: sent, batches: bodies.size, gzip }));
})().catch((err) => {
  console.error(`The SDK run failed: ${describe(err)}`);
  process.exitCode = 1;
});
