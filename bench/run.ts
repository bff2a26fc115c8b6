// npm run bench: throughput of 1 KiB and 64 KiB messages through
//   (a) a native C sender on libusrsctp, (b) the Node TS API, (c) a guest component through the host,
//   (d) the same kind of guest over wasi:sockets/tcp (preview2-shim) to a Node net sink, (e) a C guest
//   component through the host (the same sender as (c), in C),
// the 64-byte round trip of (a), (c) and (e), and the per-call cost of the host's cheapest import against
// preview2-shim's, from the TypeScript guest and from the C guest. Every sender runs in its own process;
// (a), (b), (c) and (e) send to one native receiver process (SCTP over UDP encapsulation on 127.0.0.1), so
// the lanes differ only in the sender.
// Prints a table and the ratios, and writes .cache/bench/latest.json.
//
// With root, the failover lane (f) cuts the primary path of a multi-homed association between two network
// namespaces and prints the outage.
//
//   node dist/bench/run.js [--seconds 3] [--trials 1] [--lanes a,b,c,d,e,f] [--no-tsctp] [--rtt-count 2000]
//                          [--failover-trials 3] [--json <path>]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { buildNative, startSctpPeer, startTcpPeer, type SctpPeer, type TcpPeer } from './lib/native.js';
import type { RoundTrip, Throughput } from './lib/measure.js';
import { projectRoot } from '../scripts/guests.js';
import { exitWithin } from '../test/harness/processes.js';
import { haveTsctp, nativeRoundTrip, nativeThroughput, tsctpThroughput } from './lanes/native.js';
import { apiThroughput } from './lanes/node-api.js';
import { batchFor, guestCallCosts, guestSctpRoundTrip, guestSctpThroughput, type CallCosts } from './lanes/guest-sctp.js';
import { guestTcpThroughput } from './lanes/guest-tcp.js';
import { buildBenchGuests } from './lanes/guests.js';
import { failoverOutage, type FailoverResult } from './lanes/failover.js';
import { formatMarkdown, formatReport, ratiosOf, type Report } from './report.js';

interface Options {
  seconds: number;
  trials: number;
  lanes: Set<string>;
  tsctp: boolean;
  rttCount: number;
  callCount: number;
  failoverTrials: number;
  json: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    seconds: 3, trials: 1, lanes: new Set(['a', 'b', 'c', 'd', 'e', 'f']), tsctp: true, rttCount: 2000, callCount: 2000,
    failoverTrials: 3,
    json: join(projectRoot, '.cache', 'bench', 'latest.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--seconds') options.seconds = Number(value());
    else if (flag === '--trials') options.trials = Math.max(1, Math.floor(Number(value())));
    else if (flag === '--lanes') options.lanes = new Set(value().split(','));
    else if (flag === '--no-tsctp') options.tsctp = false;
    else if (flag === '--rtt-count') options.rttCount = Number(value());
    else if (flag === '--call-count') options.callCount = Number(value());
    else if (flag === '--failover-trials') options.failoverTrials = Math.max(1, Math.floor(Number(value())));
    else if (flag === '--json') options.json = value();
    else throw new Error(`unknown option ${flag}`);
  }
  if (!(options.seconds >= 1 && options.seconds <= 30)) throw new Error('--seconds must be 1..30');
  return options;
}

const SIZES = [1024, 65536];

/** The median trial of a lane (by MB/s); failed trials only when every trial failed. */
function medianTrial(trials: Throughput[]): Throughput {
  const ok = trials.filter((t) => !t.error && Number.isFinite(t.megabytesPerSecond));
  const pool = ok.length ? ok : trials;
  const sorted = [...pool].sort((x, y) => (x.megabytesPerSecond || 0) - (y.megabytesPerSecond || 0));
  const chosen = { ...sorted[Math.floor((sorted.length - 1) / 2)] };
  const problems = trials.filter((t) => t.error).map((t) => t.error);
  if (problems.length && ok.length) chosen.error = `${problems.length}/${trials.length} trials failed: ${problems.join('; ')}`;
  return chosen;
}

function usrsctpVersion(): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', 'libusrsctp-dev'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function clangVersion(): string {
  try {
    return execFileSync('clang', ['--version'], { encoding: 'utf8' }).split('\n')[0].trim();
  } catch {
    return 'unknown';
  }
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(projectRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const loadAtStart = loadavg()[0];
  const log = (line: string) => console.log(`bench: ${line}`);
  const has = (lane: string) => options.lanes.has(lane);

  // Everything that compiles happens before anything is measured.
  const binary = buildNative();
  buildBenchGuests(log, { ts: has('c') || has('d'), c: has('e') });
  const useTsctp = options.tsctp && has('a') && haveTsctp();

  let sctpPeer: SctpPeer | undefined;
  let tcpPeer: TcpPeer | undefined;
  const trials = new Map<string, Throughput[]>();
  const record = (t: Throughput) => {
    const key = `${t.lane}@${t.size}`;
    trials.set(key, [...(trials.get(key) ?? []), t]);
    const rate = t.error && !Number.isFinite(t.megabytesPerSecond) ? `FAILED: ${t.error.split('\n')[0]}` : `${t.megabytesPerSecond.toFixed(1)} MB/s`;
    log(`(${t.lane}) ${t.size} B: ${rate}`);
  };
  const roundTrips: RoundTrip[] = [];
  let calls: CallCosts | undefined;
  let cCalls: CallCosts | undefined;
  let failover: FailoverResult | undefined;
  try {
    if (has('f')) {
      failover = await failoverOutage(options.failoverTrials, log);
      if (failover.skipped) log(`(failover) skipped: ${failover.skipped}`);
    }
    sctpPeer = await startSctpPeer(binary);
    if (has('d')) tcpPeer = await startTcpPeer();
    log(`native receiver on 127.0.0.1:${sctpPeer.sinkPort} (echo :${sctpPeer.echoPort}), UDP encapsulation port ${sctpPeer.udpPort}; ${options.seconds} s per lane`);

    for (let trial = 0; trial < options.trials; trial++) {
      for (const size of SIZES) {
        if (has('a')) record(await nativeThroughput(binary, sctpPeer, size, options.seconds));
        if (has('a')) record(await nativeThroughput(binary, sctpPeer, size, options.seconds, true));
        if (useTsctp) record(await tsctpThroughput(sctpPeer, size, options.seconds));
        if (has('b')) record(await apiThroughput(sctpPeer, size, options.seconds));
        if (has('c')) record(await guestSctpThroughput(sctpPeer, size, options.seconds));
        if (has('e')) record(await guestSctpThroughput(sctpPeer, size, options.seconds, 'c-bench-sctp', 'e'));
        if (has('d') && tcpPeer) {
          record(await guestTcpThroughput(tcpPeer, size, options.seconds));
          if (size <= 4096) record(await guestTcpThroughput(tcpPeer, size, options.seconds, true));
        }
      }
    }
    const rttSeconds = 5;
    if (has('a')) roundTrips.push(await nativeRoundTrip(binary, sctpPeer, 64, options.rttCount, rttSeconds));
    if (has('c')) roundTrips.push(await guestSctpRoundTrip(sctpPeer, 64, options.rttCount, rttSeconds));
    if (has('e')) roundTrips.push(await guestSctpRoundTrip(sctpPeer, 64, options.rttCount, rttSeconds, 'c-bench-sctp', 'e'));
    for (const r of roundTrips) log(`(${r.lane}) 64 B round trip: ${r.error ? `FAILED: ${r.error.split('\n')[0]}` : `p50 ${r.p50Us.toFixed(0)} us`}`);
    if (has('c')) calls = await guestCallCosts(options.callCount, 5);
    if (has('e')) cCalls = await guestCallCosts(options.callCount, 5, 'c-bench-sctp');
  } finally {
    // Closing stdin ends both peers; anything still alive is killed at exit (test/harness/processes.ts).
    for (const peer of [sctpPeer?.server, tcpPeer?.sink]) {
      if (!peer) continue;
      peer.child.stdin?.end();
      await exitWithin(peer, 2_000).catch(() => null);
    }
  }

  const throughput: Throughput[] = [];
  for (const lane of ['a', 'a2', 'tsctp', 'b', 'c', 'd', 'd+', 'e']) {
    for (const size of SIZES) {
      const t = trials.get(`${lane}@${size}`);
      if (t) throughput.push(medianTrial(t));
    }
  }
  const report: Report = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version,
      loadAverageAtStart: Math.round(loadAtStart * 100) / 100, loadAverageAtEnd: Math.round(loadavg()[0] * 100) / 100,
      usrsctp: usrsctpVersion(), jco: packageVersion('@bytecodealliance/jco'),
      preview2Shim: packageVersion('@bytecodealliance/preview2-shim'), componentizeJs: packageVersion('@bytecodealliance/componentize-js'),
      clang: clangVersion(),
    },
    settings: {
      secondsPerLane: options.seconds, warmupSeconds: 0.5, trials: options.trials,
      guestBatch: Object.fromEntries(SIZES.map((s) => [String(s), batchFor(s)])),
      transport: 'SCTP over UDP encapsulation (RFC 6951) on 127.0.0.1, usrsctp defaults (PMTU 1460)',
    },
    throughput,
    roundTrips,
    calls,
    cCalls,
    failover,
    ratios: [],
    durationSeconds: 0,
  };
  report.ratios = ratiosOf(report);
  report.durationSeconds = Math.round((Date.now() - started) / 100) / 10;
  report.markdown = formatMarkdown(report);

  console.log('');
  console.log(formatReport(report));
  mkdirSync(dirname(options.json), { recursive: true });
  writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nbench: ${relative(process.cwd(), options.json) || options.json} written; ${report.durationSeconds} s in all`);

  // Missed targets are figures, not failures; a lane that failed or lost messages is.
  const failed = [...throughput, ...roundTrips].some((r) => r.error) || Boolean(calls?.error) || Boolean(cCalls?.error) || Boolean(failover?.error);
  return failed ? 1 : 0;
}

// Exiting kills whatever child is still alive (test/harness/processes.ts).
main().then((code) => process.exit(code), (e) => {
  console.error(`bench: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
