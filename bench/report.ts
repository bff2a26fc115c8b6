// The benchmark's table, ratios and targets. The targets are benchmark figures to show next to the
// results, not assertions: a missed target does not fail the run.
import type { FailoverResult } from './lanes/failover.js';
import type { RoundTrip, Throughput } from './lib/measure.js';
import type { CallCosts } from './lanes/guest-sctp.js';

export interface Ratio {
  name: string;
  /** Message size the ratio compares at, if any. */
  size?: number;
  value: number;
  target?: { op: '>=' | '<='; value: number };
  met?: boolean;
  note?: string;
}

export interface Report {
  date: string;
  machine: Record<string, string | number>;
  settings: Record<string, unknown>;
  throughput: Throughput[];
  roundTrips: RoundTrip[];
  calls?: CallCosts;
  /** The same per-call figures from the C guest (lane e). */
  cCalls?: CallCosts;
  failover?: FailoverResult;
  ratios: Ratio[];
  durationSeconds: number;
  /** The figures as Markdown, ready for the README. */
  markdown?: string;
}

export const LANES: Record<string, string> = {
  a: '(a) native C sender on libusrsctp',
  a2: '(a2) the same, non-blocking (as src/ is)',
  tsctp: "(a') usrsctp's tsctp (reference, CRC32c on)",
  b: '(b) Node TS API (src/) sender',
  c: '(c) guest component via host, sctp:sockets',
  d: '(d) guest, wasi:sockets/tcp, 1 write/message',
  'd+': '(d+) guest, wasi:sockets/tcp, coalesced writes',
  e: '(e) C guest component via host, sctp:sockets',
};

function find(report: Report, lane: string, size: number): Throughput | undefined {
  return report.throughput.find((t) => t.lane === lane && t.size === size);
}

function rate(t: Throughput | undefined): number {
  return t && Number.isFinite(t.megabytesPerSecond) ? t.megabytesPerSecond : NaN;
}

function ratio(name: string, value: number, size?: number, target?: Ratio['target'], note?: string): Ratio {
  const r: Ratio = { name, value, size };
  if (target) {
    r.target = target;
    // No figure (a lane failed or was not run): neither met nor missed.
    if (Number.isFinite(value)) r.met = target.op === '>=' ? value >= target.value : value <= target.value;
  }
  if (note) r.note = note;
  return r;
}

export function ratiosOf(report: Report): Ratio[] {
  const out: Ratio[] = [];
  for (const size of [1024, 65536]) {
    const a = rate(find(report, 'a', size));
    out.push(ratio('(b)/(a)', rate(find(report, 'b', size)) / a, size, { op: '>=', value: 0.9 }));
    if (find(report, 'a2', size)) {
      out.push(ratio('(b)/(a2)', rate(find(report, 'b', size)) / rate(find(report, 'a2', size)), size, undefined, 'against the non-blocking C sender'));
    }
    out.push(ratio('(c)/(a)', rate(find(report, 'c', size)) / a, size, size === 65536 ? { op: '>=', value: 0.5 } : undefined));
    out.push(ratio('(c)/(d)', rate(find(report, 'c', size)) / rate(find(report, 'd', size)), size, size === 1024 ? { op: '>=', value: 10 } : undefined));
    if (find(report, 'd+', size)) {
      out.push(ratio('(c)/(d+)', rate(find(report, 'c', size)) / rate(find(report, 'd+', size)), size, undefined, 'TCP guest coalescing its writes'));
    }
    if (find(report, 'e', size)) {
      out.push(ratio('(e)/(a)', rate(find(report, 'e', size)) / a, size, { op: '>=', value: size === 65536 ? 0.6 : 0.8 }));
      if (find(report, 'a2', size)) {
        out.push(ratio('(e)/(a2)', rate(find(report, 'e', size)) / rate(find(report, 'a2', size)), size, undefined, 'against the non-blocking C sender'));
      }
      out.push(ratio('(e)/(c)', rate(find(report, 'e', size)) / rate(find(report, 'c', size)), size, undefined, 'C guest against TypeScript guest'));
    }
  }
  const rtt = (lane: string) => report.roundTrips.find((r) => r.lane === lane)?.p50Us ?? NaN;
  out.push(ratio('RTT p50 (c)/(a)', rtt('c') / rtt('a'), 64, { op: '<=', value: 4 }));
  if (report.roundTrips.some((r) => r.lane === 'e')) out.push(ratio('RTT p50 (e)/(a)', rtt('e') / rtt('a'), 64, { op: '<=', value: 2 }));
  if (report.calls) {
    const ours = Math.min(report.calls.socketTypeUs, report.calls.isListeningUs);
    out.push(ratio('cheapest call ours/preview2-shim', ours / report.calls.keepAliveEnabledUs, undefined, { op: '<=', value: 1 }));
  }
  if (report.cCalls) {
    out.push(ratio('cheapest call from a C guest, us', Math.min(report.cCalls.socketTypeUs, report.cCalls.isListeningUs), undefined, { op: '<=', value: 3 }));
  }
  return out;
}

const kib = (size: number) => (size >= 1024 ? `${size / 1024} KiB` : `${size} B`);

function num(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return '-';
  if (Math.abs(value) >= 10_000) return `${(value / 1000).toFixed(1)}k`;
  return value.toFixed(digits);
}

function pad(s: string, width: number, right = false): string {
  return right ? s.padStart(width) : s.padEnd(width);
}

export function formatReport(report: Report): string {
  const lines: string[] = [];
  const load = report.machine.loadAverageAtStart;
  if (typeof load === 'number' && load > Number(report.machine.cpus) * 0.5) {
    lines.push(`WARNING: load average ${load.toFixed(1)} on ${report.machine.cpus} CPUs when the run started: other work shares the machine, figures are disturbed.`);
  }
  const sizes = [1024, 65536];
  lines.push(`Throughput, ${String(report.settings.secondsPerLane)} s per lane, rates at the receiver after a 0.5 s warm-up `
    + `(SCTP: one native receiver process for (a)-(c) and (e), UDP encapsulation on 127.0.0.1; TCP: Node net sink)`);
  const header = `${pad('lane', 48)}${sizes.map((s) => `${pad(`${kib(s)} MB/s`, 14, true)}${pad('msg/s', 10, true)}`).join('  ')}`;
  lines.push(header);
  lines.push('-'.repeat(header.length));
  const problems: string[] = [];
  for (const lane of Object.keys(LANES)) {
    const cells = sizes.map((s) => find(report, lane, s));
    if (cells.every((c) => !c)) continue;
    lines.push(`${pad(LANES[lane], 48)}${cells.map((c) => `${pad(num(rate(c)), 14, true)}${pad(num(c?.messagesPerSecond ?? NaN, 0), 10, true)}`).join('  ')}`);
    for (const c of cells) if (c?.error) problems.push(`${LANES[lane]}, ${kib(c.size)}: ${c.error}`);
  }

  const counted = report.throughput.filter((t) => t.wouldBlock !== undefined && t.received > 0 && t.lane !== 'a');
  if (counted.length) {
    lines.push(`would-block per message sent: ${counted.map((t) => `(${t.lane}) ${kib(t.size)} ${num(t.wouldBlock! / Math.max(1, t.sent), 2)}`).join(', ')}`);
  }
  lines.push('');
  lines.push(`${pad('ratio', 36)}${pad('value', 8, true)}  target`);
  for (const r of report.ratios) {
    if (r.name.startsWith('RTT') || r.name.startsWith('cheapest')) continue;
    lines.push(ratioLine(r));
  }

  lines.push('');
  lines.push('64-byte round trip against the native echo peer (one message outstanding)');
  lines.push(`${pad('lane', 48)}${['p50 us', 'p90 us', 'p99 us', 'count'].map((h) => pad(h, 9, true)).join('')}`);
  for (const r of report.roundTrips) {
    lines.push(`${pad(LANES[r.lane] ?? r.lane, 48)}${[r.p50Us, r.p90Us, r.p99Us].map((v) => pad(num(v, 0), 9, true)).join('')}${pad(String(r.count), 9, true)}`);
    if (r.error) problems.push(`${LANES[r.lane] ?? r.lane}, round trip: ${r.error}`);
  }
  for (const r of report.ratios.filter((x) => x.name.startsWith('RTT'))) lines.push(ratioLine(r));

  for (const [c, who] of [[report.calls, 'the TypeScript guest'], [report.cCalls, 'the C guest']] as const) {
    if (!c) continue;
    lines.push('');
    lines.push(`Per host call from ${who}, tight loop (${c.count} calls x ${c.rounds} rounds, median round)`);
    lines.push(`${pad('  sctp-socket.socket-type (this host)', 48)}${pad(num(c.socketTypeUs, 1), 9, true)} us`);
    lines.push(`${pad('  sctp-socket.is-listening (this host)', 48)}${pad(num(c.isListeningUs, 1), 9, true)} us`);
    lines.push(`${pad('  tcp-socket.keep-alive-enabled (preview2-shim)', 48)}${pad(num(c.keepAliveEnabledUs, 1), 9, true)} us`);
    lines.push(`${pad('  monotonic-clock.now (preview2-shim)', 48)}${pad(num(c.monotonicNowUs, 1), 9, true)} us`);
    lines.push(`${pad('  empty guest loop iteration', 48)}${pad(num(c.emptyLoopUs, 3), 9, true)} us`);
    lines.push(`${pad('  subscribe + block + drop, ready at once', 48)}${pad(num(c.readyWaitUs, 1), 9, true)} us`);
    lines.push(`${pad('  block of a reused pollable, ready at once', 48)}${pad(num(c.reusedWaitUs, 1), 9, true)} us`);
    const cheapest = c === report.calls ? 'cheapest call ours' : 'cheapest call from a C guest';
    for (const r of report.ratios.filter((x) => x.name.startsWith(cheapest))) lines.push(ratioLine(r));
    lines.push('Crossing cost of sctp-socket.send alone (unconnected socket: lowered, lifted, refused)');
    lines.push(`${pad('  1 empty message', 48)}${pad(num(c.sendEmptyUs, 1), 9, true)} us`);
    lines.push(`${pad('  1 x 1 KiB', 48)}${pad(num(c.send1KiBUs, 1), 9, true)} us`);
    lines.push(`${pad('  1 x 64 KiB', 48)}${pad(num(c.send64KiBUs, 1), 9, true)} us`);
    lines.push(`${pad('  128 x 1 KiB', 48)}${pad(num(c.send128x1KiBUs, 0), 9, true)} us  (${num(c.send128x1KiBUs / 128, 1)} us per message)`);
    if (c.error) problems.push(`call costs (${who}): ${c.error}`);
  }

  if (report.failover) {
    const f = report.failover;
    lines.push('');
    lines.push(`Failover between two paths (raw IP, network namespaces; ${f.settings})`);
    if (f.skipped) lines.push(`  skipped: ${f.skipped}`);
    f.trials.forEach((t) => lines.push(`  ${t.sender} sender: first message after the cut ${num(t.firstAfterCutMs, 1)} ms, largest gap `
      + `${num(t.largestGapMs, 1)} ms, "unreachable" after ${num(t.unreachableAfterMs, 0)} ms, ${t.delivered}/${t.sent} delivered in order`));
    if (f.trials.length) {
      lines.push(`  largest gap, guest sender: median ${num(f.medianGapMs, 1)} ms, worst ${num(f.maxGapMs, 1)} ms (target <= ${f.targetMs} ms: `
        + `${f.medianGapMs <= f.targetMs ? 'met' : 'NOT met'} by the median)`);
      lines.push(`  largest gap, Node sender:  median ${num(f.nodeMedianGapMs, 1)} ms, worst ${num(f.nodeMaxGapMs, 1)} ms`);
    }
    if (f.error) problems.push(`failover: ${f.error}`);
  }

  if (problems.length) {
    lines.push('');
    lines.push('PROBLEMS');
    for (const p of problems) {
      const [first, ...rest] = p.split('\n');
      lines.push(`  ${first}`);
      // The start of a child's output names the cause; the full text is in latest.json.
      for (const line of rest.slice(0, 4)) lines.push(`    ${line}`);
      if (rest.length > 4) lines.push('    ...');
    }
  }
  return lines.join('\n');
}

function ratioLine(r: Ratio): string {
  const name = r.size ? `${r.name} at ${kib(r.size)}` : r.name;
  const verdict = r.met === undefined ? 'n/a' : r.met ? 'met' : 'NOT met';
  const target = r.target ? `${r.target.op} ${r.target.value}  ${verdict}` : (r.note ? `(${r.note})` : '');
  return `${pad(name, 36)}${pad(num(r.value, 2), 8, true)}  ${target}`;
}

/** The same figures as a Markdown section, for the README's performance section (also in latest.json). */
export function formatMarkdown(report: Report): string {
  const sizes = [1024, 65536];
  const out: string[] = [];
  out.push(`Measured ${report.date.slice(0, 10)} on ${report.machine.cpus} CPUs (${report.machine.cpuModel}), Node ${report.machine.node}, `
    + `usrsctp ${report.machine.usrsctp}; ${String(report.settings.secondsPerLane)} s per lane, rates at the receiver after a 0.5 s warm-up.`);
  out.push('');
  out.push(`| sender | ${sizes.map((s) => `${kib(s)} MB/s | ${kib(s)} msg/s`).join(' | ')} |`);
  out.push(`|---|${sizes.map(() => '---:|---:').join('|')}|`);
  for (const lane of Object.keys(LANES)) {
    const cells = sizes.map((s) => find(report, lane, s));
    if (cells.every((c) => !c)) continue;
    out.push(`| ${LANES[lane]} | ${cells.map((c) => `${num(rate(c))} | ${num(c?.messagesPerSecond ?? NaN, 0)}`).join(' | ')} |`);
  }
  out.push('');
  out.push('| ratio | value | target |');
  out.push('|---|---:|---|');
  for (const r of report.ratios) {
    const name = r.size ? `${r.name} at ${kib(r.size)}` : r.name;
    out.push(`| ${name} | ${num(r.value, 2)} | ${r.target ? `${r.target.op === '>=' ? '≥' : '≤'} ${r.target.value} (${r.met === undefined ? 'n/a' : r.met ? 'met' : 'not met'})` : (r.note ?? '')} |`);
  }
  const rtt = report.roundTrips.map((r) => `${LANES[r.lane] ?? r.lane}: p50 ${num(r.p50Us, 0)} µs`).join('; ');
  if (rtt) out.push('', `64-byte round trip: ${rtt}.`);
  for (const [c, who] of [[report.calls, 'a TypeScript guest'], [report.cCalls, 'a C guest']] as const) {
    if (!c) continue;
    out.push('', `Per call from ${who}: sctp-socket.socket-type ${num(c.socketTypeUs)} µs, is-listening ${num(c.isListeningUs)} µs, `
      + `preview2-shim tcp-socket.keep-alive-enabled ${num(c.keepAliveEnabledUs)} µs; send of 128 x 1 KiB across the boundary alone `
      + `${num(c.send128x1KiBUs, 0)} µs (${num(c.send128x1KiBUs / 128)} µs per message); subscribe + block + drop of a ready pollable `
      + `${num(c.readyWaitUs, 1)} µs, block of a reused one ${num(c.reusedWaitUs, 1)} µs.`);
  }
  if (report.failover?.trials.length) {
    const f = report.failover;
    out.push('', `Failover (two paths between network namespaces, raw IP, 1 KiB at 1,000/s, primary path cut): largest gap `
      + `between arrivals with a guest sender median ${num(f.medianGapMs, 0)} ms, worst ${num(f.maxGapMs, 0)} ms; with a Node sender median `
      + `${num(f.nodeMedianGapMs, 0)} ms, worst ${num(f.nodeMaxGapMs, 0)} ms; ${f.trials.length / 2} trials each (target ≤ ${f.targetMs} ms); `
      + (f.error ? 'some trials FAILED (see latest.json).' : 'every message delivered, in order, once.'));
  }
  return out.join('\n');
}
