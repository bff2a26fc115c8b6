// npm run bench:load: memory per association. An echo peer (its one-to-many socket answers every
// message) and N one-to-one clients, each in its own process with its own stack, over UDP
// encapsulation on 127.0.0.1. Prints the server's RSS with N associations up and after each sent
// M messages, per association, and the clients' RSS per socket + association; writes
// .cache/bench/load.json.
//
//   node dist/bench/load.js [--associations 100,1000] [--messages 20] [--size 1000] [--json <path>]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cpus } from 'node:os';
import { projectRoot } from '../scripts/guests.js';
import { exitWithin, isEvent, type Json } from '../test/harness/processes.js';
import { startEchoPeer, startPeer } from '../test/harness/peers/start.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const counts = option('associations', '100,1000').split(',').map(Number);
const messages = Number(option('messages', '20'));
const size = Number(option('size', '1000'));
const json = option('json', join(projectRoot, '.cache', 'bench', 'load.json'));
const KiB = (bytes: number) => bytes / 1024;

interface Row {
  associations: number;
  connectSeconds: number;
  exchangeSeconds: number;
  serverRssMiB: { idle: number; up: number; afterTraffic: number; afterClose: number };
  serverKiBPerAssociation: { up: number; afterTraffic: number };
  clientKiBPerAssociation: number;
}

async function measure(n: number): Promise<Row> {
  const server = await startEchoPeer({ nodeArgs: ['--expose-gc'], stderr: 'capture' });
  try {
    // The one-to-many socket's associations and the process's memory after a GC.
    const sample = () => server.request('stats', isEvent('stats'));
    const idle = await sample();
    const clients = startPeer('clients', ['--port', String(server.many), '--udp-encaps', String(server.udpPort), '--count', String(n),
      '--messages', String(messages), '--size', String(size)], { nodeArgs: ['--expose-gc'], stderr: 'capture' });
    const started = await clients.waitFor(isEvent('started'), 30_000, 'started');
    const connected = await clients.waitFor(isEvent('connected'), 300_000, 'connected');
    const up = await sample();
    if (up.associations !== n) throw new Error(`the server has ${String(up.associations)} associations, expected ${n}`);
    const done = await clients.waitFor(isEvent('done'), 300_000, 'done');
    if (done.answers !== n * messages || done.wrong !== 0) throw new Error(`${String(done.answers)} answers (${String(done.wrong)} wrong), expected ${n * messages}`);
    const afterTraffic = await sample();
    clients.child.stdin!.end();
    await exitWithin(clients, 30_000).catch(() => null);
    // Graceful shutdowns take a round trip each; let them finish before the last sample.
    await new Promise((r) => setTimeout(r, 2000));
    const afterClose = await sample();
    const rss = (e: Json) => e.rss as number;
    return {
      associations: n,
      connectSeconds: (connected.ms as number) / 1000,
      exchangeSeconds: ((done.ms as number) - (connected.ms as number)) / 1000,
      serverRssMiB: { idle: rss(idle) / 2 ** 20, up: rss(up) / 2 ** 20, afterTraffic: rss(afterTraffic) / 2 ** 20, afterClose: rss(afterClose) / 2 ** 20 },
      serverKiBPerAssociation: { up: KiB(rss(up) - rss(idle)) / n, afterTraffic: KiB(rss(afterTraffic) - rss(idle)) / n },
      clientKiBPerAssociation: KiB(rss(connected) - rss(started)) / n,
    };
  } finally {
    server.kill();
  }
}

const rows: Row[] = [];
for (const n of counts) {
  rows.push(await measure(n));
  const r = rows.at(-1)!;
  console.log(`${n} associations: up in ${r.connectSeconds.toFixed(1)} s, ${n * messages} messages answered in ${r.exchangeSeconds.toFixed(1)} s; `
    + `server RSS ${r.serverRssMiB.idle.toFixed(1)} -> ${r.serverRssMiB.up.toFixed(1)} -> ${r.serverRssMiB.afterTraffic.toFixed(1)} MiB `
    + `(${r.serverRssMiB.afterClose.toFixed(1)} after close)`);
}

const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} CPUs, Node ${process.version}; ${messages} messages of ${size} bytes per association, each answered.`,
  '',
  '| associations | set up | messages + answers | server RSS idle / up / after traffic / after close (MiB) | server KiB per association (up / after traffic) | client KiB per socket + association |',
  '|---:|---:|---:|---|---:|---:|',
  ...rows.map((r) => `| ${r.associations} | ${r.connectSeconds.toFixed(1)} s | ${r.exchangeSeconds.toFixed(1)} s | `
    + `${r.serverRssMiB.idle.toFixed(0)} / ${r.serverRssMiB.up.toFixed(0)} / ${r.serverRssMiB.afterTraffic.toFixed(0)} / ${r.serverRssMiB.afterClose.toFixed(0)} | `
    + `${r.serverKiBPerAssociation.up.toFixed(1)} / ${r.serverKiBPerAssociation.afterTraffic.toFixed(1)} | ${r.clientKiBPerAssociation.toFixed(1)} |`),
];
console.log(`\n${lines.join('\n')}`);
mkdirSync(dirname(json), { recursive: true });
writeFileSync(json, JSON.stringify({ date: new Date().toISOString(), messages, size, rows }, null, 2));
console.log(`\nwrote ${json}`);
