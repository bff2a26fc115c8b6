// POSIX-COMPAT.md must not lie. This reads its tables and holds them against what they describe:
// the WIT items in wit/ (and wit/deps), the tests each ✅ row cites (they must exist and call what
// the row names), the one errno map (src/errors.ts), and the C headers of Linux and usrsctp for
// the platform columns.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../scripts/guests.js';
import { ERROR_CODES, errnoToCode, OPTION_TABLE } from '../src/index.js';
import { backticked, markOf, prose, readTables, testReferences, witShapedNames, type GuideTable } from './harness/readers/guide-tables.js';
import { findTest } from './harness/readers/test-sources.js';
import { projectWit, resolves, WIT_WORDS } from './harness/readers/wit-items.js';
import { LINUX_SCTP_H, readHeader, USRSCTP_H, type Header } from './harness/readers/c-headers.js';

const guide = readFileSync(join(projectRoot, 'POSIX-COMPAT.md'), 'utf8');
const tables = readTables(guide);
const { pkg, deps } = projectWit(projectRoot);
const own = pkg.get('*')!;

/** The table under a heading (the first one there). */
function table(heading: string): GuideTable {
  const t = tables.find((x) => x.heading === heading);
  if (!t) throw new Error(`POSIX-COMPAT.md has no table under "${heading}"`);
  return t;
}

const FOUR_TABLES = ['Functions', 'SCTP cmsgs (ancillary data)', 'SCTP notifications', 'Socket options'];
const implementedColumn = (t: GuideTable) => t.header.indexOf('Implemented');
const where = (row: { line: number; cells: string[] }) => `POSIX-COMPAT.md:${row.line} (${row.cells[0]})`;

/** Every row with an Implemented column: its mark, its cell and the row. */
function implementedRows() {
  return tables.filter((t) => implementedColumn(t) >= 0).flatMap((t) => t.rows.map((row) => {
    const cell = row.cells[implementedColumn(t)] ?? '';
    return { table: t, row, cell, mark: markOf(cell) };
  }));
}

const camel = (kebab: string) => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

// -------------------------------------------------------------------------------------------------
// The shape of the guide

test('the four tables have the columns Name | Implemented | Linux | FreeBSD | usrsctp | Tested by', () => {
  for (const heading of FOUR_TABLES) {
    const t = table(heading);
    assert.equal(t.header.slice(1), ['Implemented', 'Linux', 'FreeBSD', 'usrsctp', 'Tested by'], heading);
    assert.ok(t.rows.length > 5, `${heading}: ${t.rows.length} rows`);
    for (const row of t.rows) assert.is(row.cells.length, 6, where(row));
  }
});

test('every row says what became of its item: ✅ with WIT items, ⛔ or ❔ with a reason', () => {
  const rows = implementedRows();
  assert.ok(rows.length > 150, `only ${rows.length} rows`);
  for (const { table: t, row, cell, mark } of rows) {
    assert.ok(mark, `${where(row)}: the Implemented cell starts with neither ✅, ⛔ nor ❔: ${cell}`);
    if (mark === '✅') assert.ok(witShapedNames(cell).length > 0, `${where(row)}: ✅ but no WIT item named`);
    // The reason is in the Implemented cell, or in the Notes next to it.
    const reason = prose(cell) + prose(row.cells[t.header.indexOf('Notes')] ?? '');
    if (mark !== '✅') assert.ok(reason.length >= 8, `${where(row)}: ${mark} without a reason`);
  }
});

test('the guide has no TBD', () => {
  assert.not.match(guide, /\bTBD\b/);
});

// -------------------------------------------------------------------------------------------------
// The guide against the WIT

test('every WIT item a row names exists (rows marked ❔ may name what is still being added)', () => {
  for (const t of tables) {
    const col = implementedColumn(t);
    for (const row of t.rows) {
      if (col >= 0 && markOf(row.cells[col] ?? '') === '❔') continue;
      // Implemented and Notes cells, or every cell of a table without an Implemented column; the
      // first column names the POSIX or Erlang item and the platform columns C names.
      const cells = col < 0 ? row.cells : row.cells.filter((_, i) => i === col || t.header[i] === 'Notes');
      for (const name of cells.flatMap(witShapedNames)) {
        if (WIT_WORDS.has(name)) continue;
        assert.ok(resolves(name, pkg, deps), `${where(row)}: \`${name}\` is not an item of wit/ or wit/deps`);
      }
    }
  }
});

// -------------------------------------------------------------------------------------------------
// ✅ means a test asserts the effect: the guide cites the tests, and the tests call what the row names

/** The main part's tables cite tests in a last column; the appendix's rows rest on them (below). */
const CITING_TABLES = ['General', ...FOUR_TABLES, 'Host settings without a POSIX call'];
const testedByColumn = (t: GuideTable) => t.header.indexOf('Tested by');

/** Every row of the citing tables with its mark, its Implemented and Notes cells and the tests it cites. */
function citingRows() {
  return CITING_TABLES.map(table).flatMap((t) => t.rows.map((row) => ({
    row,
    mark: markOf(row.cells[implementedColumn(t)] ?? ''),
    cell: [row.cells[implementedColumn(t)] ?? '', row.cells[t.header.indexOf('Notes')] ?? ''].join(' '),
    refs: testReferences(row.cells[testedByColumn(t)] ?? ''),
  })));
}

/**
 * How the Node API and the guest helpers (`wasm-sctp/guest`) spell a WIT function where it is not
 * its camelCase name: a test that calls one of these calls the function.
 */
const ALIASES: Record<string, string[]> = {
  'create-sctp-socket': ['SctpSocket.create(', 'socket('],
  'start-bind': ['bind('], 'finish-bind': ['bind('],
  'start-listen': ['listen('], 'finish-listen': ['listen('],
  'start-connect': ['connect('], 'finish-connect': ['connect('],
  accept: ['acceptOne('],
  send: ['sendAll('],
  receive: ['receiveSome(', 'receiveMessages('],
  subscribe: ['wait(', 'waitWithTimeout(', 'blocking(', 'whenReady('],
  'whole-messages': ['.wholeMessages'], 'set-whole-messages': ['.wholeMessages ='],
  'address-family': ['.family'], 'socket-type': ['.type'],
  'udp-encapsulation-port': ['udpPort(', 'initStack('],
};

/**
 * The Node API's spellings of the option functions: `getOption('name')` and `setOption('name')`, or the name as a
 * string where a test loops over several options. A getter's name is also the option's name, so a test that sets
 * the option uses it as well.
 */
const OPTION_CALLS = new Map(OPTION_TABLE.flatMap((r) => {
  const setter = r.setter ? [`${camel(r.setter)}(`, `setOption('${r.name}'`] : [];
  return [
    ...(r.getter ? [[r.getter, [`getOption('${r.name}'`, `'${r.name}'`, ...setter]]] : []),
    ...(r.setter ? [[r.setter, [`'${r.name}'`, ...setter]]] : []),
  ];
}) as Array<[string, string[]]>);

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whether `text` calls `spelling`: a name must not be the end of a longer one (`setNodelay(` is not `nodelay(`). */
const calls = (text: string, spelling: string) => new RegExp(`${/^[\w$]/.test(spelling) ? '(?<![\\w$])' : ''}${escapeRegex(spelling)}`).test(text);

/**
 * Whether a test's evidence uses a WIT name a row gives: a function is called (by its camelCase
 * name, its Node API or guest helper spelling, or as an option); a case is a string ('comm-up'); a
 * field or flag of the package's types is named. Names of other packages are not checked here.
 */
function uses(evidence: string, name: string): boolean {
  if (own.functions.has(name)) {
    const spellings = [`${camel(name)}(`, ...(ALIASES[name] ?? []), ...(OPTION_CALLS.get(name) ?? [])];
    return spellings.some((s) => calls(evidence, s));
  }
  const pair = name.match(/^([a-z0-9-]+)(::|\.)([a-z0-9-]+)$/);
  if (pair && own.types.has(pair[1])) {
    if (pair[2] === '::') return [`'${pair[3]}'`, `"${pair[3]}"`].some((q) => evidence.includes(q));
    return new RegExp(`\\b${camel(pair[3])}\\b`).test(evidence);
  }
  return true;
}

/** The WIT names of a cell that a test can use: functions of the package, and cases and fields of its types. */
const checkable = (cell: string) => witShapedNames(cell).filter((n) => own.functions.has(n) || own.types.has(n.split(/::|\./)[0]));

test('the tables of the main part cite tests; every ✅ row cites at least one, and only cited tests are named', () => {
  for (const heading of CITING_TABLES) assert.is(table(heading).header.at(-1), 'Tested by', heading);
  const rows = citingRows();
  for (const { row, mark, refs } of rows) {
    if (mark === '✅') assert.ok(refs.length > 0, `${where(row)}: ✅ but no test cited`);
    const cell = row.cells.at(-1)!;
    const cited = (cell.match(/\]\(test\//g) ?? []).length;
    assert.is(refs.length, cited, `${where(row)}: write each test as [name](test/name.test.ts) "title": ${cell}`);
  }
  assert.ok(rows.filter((r) => r.mark === '✅').length > 100);
});

/** Fails once with every problem found, one per line. */
const none = (problems: string[]) => assert.ok(problems.length === 0, `\n${problems.join('\n')}`);

test('every cited test exists: its file under test/, a test of that title in it', () => {
  none(citingRows().flatMap(({ row, refs }) => refs.filter((ref) => !findTest(projectRoot, ref.file, ref.title))
    .map((ref) => `${where(row)}: test/${ref.file} has no test "${ref.title}"`)));
});

test('the tests a ✅ row cites call every WIT function and use every case and field it names', () => {
  none(citingRows().filter((r) => r.mark === '✅').flatMap(({ row, cell, refs }) => {
    const cited = refs.map((r) => findTest(projectRoot, r.file, r.title)).filter((t) => t !== undefined);
    return checkable(cell).filter((name) => !cited.some((t) => uses(t!.evidence, name)))
      .map((name) => `${where(row)}: none of the tests it cites (${refs.map((r) => `${r.file} "${r.title}"`).join('; ')}) uses \`${name}\``);
  }));
});

test("the appendix's ✅ rows name only WIT items that a ✅ row of the main part covers", () => {
  // An option's functions are covered by the option's own row: other rows name them as examples.
  const optionRows = new Set(table('Socket options').rows);
  const covered = new Set(citingRows().filter((r) => r.mark === '✅')
    .flatMap((r) => checkable(r.cell).filter((n) => !OPTION_CALLS.has(n) || optionRows.has(r.row))));
  const appendix = tables.filter((t) => t.heading.startsWith('gen_sctp'));
  assert.is(appendix.length, 3);
  none(appendix.flatMap((t) => t.rows.flatMap((row) => {
    const cell = row.cells[implementedColumn(t)];
    if (markOf(cell) !== '✅') return [];
    return checkable(cell).filter((n) => (own.functions.has(n) || /::|\./.test(n)) && !covered.has(n))
      .map((name) => `${where(row)}: \`${name}\` is named by no ✅ row of the main part (its tests are what ✅ rests on)`);
  })));
});

test('every function of the package appears in the guide', () => {
  for (const fn of own.functions) assert.ok(guide.includes(`\`${fn}\``), `POSIX-COMPAT.md does not mention \`${fn}\``);
});

test('every case, flag and field of the message and notification types appears in the guide', () => {
  const names = new Set(backticked(guide).flatMap((n) => [n, n.split(/::|\./).pop()!]));
  const types = ['socket-type', 'association-scope', 'send-flags', 'pr-policy', 'send-info', 'received-message', 'incoming',
    'notification', 'event-kind', 'assoc-change-state', 'peer-address-state', 'authentication-indication', 'reset-flags'];
  for (const type of types) {
    const t = own.types.get(type);
    assert.ok(t, `${type} is not in wit/`);
    for (const member of t!.members) assert.ok(names.has(member), `POSIX-COMPAT.md does not mention \`${member}\` of ${type}`);
  }
});

// -------------------------------------------------------------------------------------------------
// Completeness: every call of RFC 6458, Linux sctp(7), FreeBSD sctp(4) and gen_sctp has a row

/** The backticked names in the first column of a table. */
const rowNames = (heading: string) => new Set(table(heading).rows.flatMap((r) => backticked(r.cells[0])));

const REQUIRED: Record<string, string[]> = {
  General: ['O_NONBLOCK', 'MSG_DONTWAIT', 'poll', 'select', 'epoll', 'kqueue', 'SIGPIPE', 'MSG_PEEK', 'MSG_EOR',
    'MSG_NOTIFICATION', 'MSG_TRUNC', 'MSG_CTRUNC', 'close', 'SOCK_STREAM', 'SOCK_SEQPACKET', 'sctp_assoc_t',
    'SCTP_FUTURE_ASSOC', 'SCTP_CURRENT_ASSOC', 'SCTP_ALL_ASSOC', 'errno'],
  Functions: ['socket', 'bind', 'connect', 'listen', 'accept', 'getsockname', 'getpeername', 'send', 'sendto', 'sendmsg',
    'recv', 'recvfrom', 'recvmsg', 'shutdown', 'SHUT_RD', 'SHUT_WR', 'SHUT_RDWR', 'close', 'getsockopt', 'setsockopt',
    'poll', 'select', 'fcntl', 'sctp_bindx', 'sctp_connectx', 'sctp_peeloff', 'sctp_peeloff_flags', 'sctp_getpaddrs',
    'sctp_freepaddrs', 'sctp_getladdrs', 'sctp_freeladdrs', 'sctp_sendmsg', 'sctp_recvmsg', 'sctp_send', 'sctp_sendx',
    'sctp_sendv', 'sctp_recvv', 'sctp_opt_info', 'sctp_getaddrlen'],
  'SCTP cmsgs (ancillary data)': ['SCTP_INIT', 'SCTP_SNDRCV', 'SCTP_EXTRCV', 'SCTP_SNDINFO', 'SCTP_RCVINFO', 'SCTP_NXTINFO',
    'SCTP_PRINFO', 'SCTP_AUTHINFO', 'SCTP_DSTADDRV4', 'SCTP_DSTADDRV6', 'SCTP_UNORDERED', 'SCTP_ADDR_OVER', 'SCTP_ABORT',
    'SCTP_EOF', 'SCTP_SENDALL', 'SCTP_SACK_IMMEDIATELY', 'SCTP_EOR'],
  'SCTP notifications': ['SCTP_ASSOC_CHANGE', 'SCTP_COMM_UP', 'SCTP_COMM_LOST', 'SCTP_RESTART', 'SCTP_SHUTDOWN_COMP',
    'SCTP_CANT_STR_ASSOC', 'SCTP_PEER_ADDR_CHANGE', 'SCTP_ADDR_AVAILABLE', 'SCTP_ADDR_UNREACHABLE', 'SCTP_ADDR_REMOVED',
    'SCTP_ADDR_ADDED', 'SCTP_ADDR_MADE_PRIM', 'SCTP_ADDR_CONFIRMED', 'SCTP_ADDR_POTENTIALLY_FAILED', 'SCTP_REMOTE_ERROR',
    'SCTP_SEND_FAILED', 'SCTP_SEND_FAILED_EVENT', 'SCTP_DATA_UNSENT', 'SCTP_DATA_SENT', 'SCTP_SHUTDOWN_EVENT',
    'SCTP_ADAPTATION_INDICATION', 'SCTP_PARTIAL_DELIVERY_EVENT', 'SCTP_PARTIAL_DELIVERY_ABORTED',
    'SCTP_AUTHENTICATION_EVENT', 'SCTP_AUTH_NEW_KEY', 'SCTP_AUTH_NO_AUTH', 'SCTP_AUTH_FREE_KEY', 'SCTP_SENDER_DRY_EVENT',
    'SCTP_NOTIFICATIONS_STOPPED_EVENT', 'SCTP_STREAM_RESET_EVENT', 'SCTP_ASSOC_RESET_EVENT', 'SCTP_STREAM_CHANGE_EVENT'],
  // Every SCTP option of RFC 6458, Linux, FreeBSD and usrsctp, and the socket-level ones SCTP uses.
  'Socket options': ['SCTP_RTOINFO', 'SCTP_ASSOCINFO', 'SCTP_INITMSG', 'SO_LINGER', 'SO_RCVBUF', 'SO_SNDBUF', 'SCTP_NODELAY',
    'SCTP_AUTOCLOSE', 'SCTP_PRIMARY_ADDR', 'SCTP_ADAPTATION_LAYER', 'SCTP_DISABLE_FRAGMENTS', 'SCTP_PEER_ADDR_PARAMS',
    'SCTP_DEFAULT_SEND_PARAM', 'SCTP_EVENTS', 'SCTP_I_WANT_MAPPED_V4_ADDR', 'SCTP_MAXSEG', 'SCTP_HMAC_IDENT',
    'SCTP_AUTH_ACTIVE_KEY', 'SCTP_DELAYED_SACK', 'SCTP_FRAGMENT_INTERLEAVE', 'SCTP_PARTIAL_DELIVERY_POINT',
    'SCTP_USE_EXT_RCVINFO', 'SCTP_AUTO_ASCONF', 'SCTP_MAX_BURST', 'SCTP_CONTEXT', 'SCTP_EXPLICIT_EOR', 'SCTP_REUSE_PORT',
    'SCTP_EVENT', 'SCTP_RECVRCVINFO', 'SCTP_RECVNXTINFO', 'SCTP_DEFAULT_SNDINFO', 'SCTP_DEFAULT_PRINFO', 'SCTP_STATUS',
    'SCTP_GET_PEER_ADDR_INFO', 'SCTP_PEER_AUTH_CHUNKS', 'SCTP_LOCAL_AUTH_CHUNKS', 'SCTP_GET_ASSOC_NUMBER',
    'SCTP_GET_ASSOC_ID_LIST', 'SCTP_SET_PEER_PRIMARY_ADDR', 'SCTP_AUTH_CHUNK', 'SCTP_AUTH_KEY', 'SCTP_AUTH_DEACTIVATE_KEY',
    'SCTP_AUTH_DELETE_KEY', 'SCTP_ENABLE_STREAM_RESET', 'SCTP_RESET_STREAMS', 'SCTP_RESET_ASSOC', 'SCTP_ADD_STREAMS',
    'SCTP_PR_SUPPORTED', 'SCTP_PR_ASSOC_STATUS', 'SCTP_PR_STREAM_STATUS', 'SCTP_INTERLEAVING_SUPPORTED',
    'SCTP_STREAM_SCHEDULER', 'SCTP_STREAM_SCHEDULER_VALUE', 'SCTP_REMOTE_UDP_ENCAPS_PORT', 'SCTP_PEER_ADDR_THLDS',
    'SCTP_RECONFIG_SUPPORTED', 'SCTP_ECN_SUPPORTED', 'SCTP_AUTH_SUPPORTED', 'SCTP_ASCONF_SUPPORTED',
    'SCTP_NRSACK_SUPPORTED', 'SCTP_PKTDROP_SUPPORTED', 'SCTP_MAX_CWND', 'SCTP_TIMEOUTS', 'IPV6_V6ONLY', 'SO_ERROR',
    'SCTP_DELAYED_ACK_TIME', 'SCTP_GET_ASSOC_STATS', 'SCTP_PEER_ADDR_THLDS_V2', 'SO_REUSEADDR', 'IP_TOS'],
  // Appendix: gen_sctp (kernel 8.5), its functions, options and records.
  'gen_sctp functions': ['open/0', 'open/1', 'open/2', 'close/1', 'connect/4', 'connect/5', 'connect_init/4',
    'connectx_init/3', 'listen/2', 'peeloff/2', 'recv/1', 'recv/2', 'send/3', 'send/4', 'abort/2', 'eof/2',
    'controlling_process/2', 'error_string/1'],
  'gen_sctp options': ['sctp_rtoinfo', 'sctp_associnfo', 'sctp_initmsg', 'sctp_autoclose', 'sctp_nodelay', 'sctp_disable_fragments',
    'sctp_i_want_mapped_v4_addr', 'sctp_maxseg', 'sctp_primary_addr', 'sctp_set_peer_primary_addr',
    'sctp_adaptation_layer', 'sctp_peer_addr_params', 'sctp_default_send_param', 'sctp_events', 'sctp_delayed_ack_time',
    'sctp_status', 'sctp_get_peer_addr_info', 'active', 'buffer', 'mode', 'binary', 'list', 'reuseaddr', 'recbuf',
    'sndbuf', 'linger', 'tos', 'tclass', 'priority', 'ipv6_v6only'],
  'gen_sctp records': ['#sctp_sndrcvinfo{}', '#sctp_assoc_change{}', '#sctp_paddr_change{}', '#sctp_remote_error{}',
    '#sctp_send_failed{}', '#sctp_shutdown_event{}', '#sctp_adaptation_event{}', '#sctp_pdapi_event{}',
    '#sctp_initmsg{}', '#sctp_rtoinfo{}', '#sctp_assocparams{}', '#sctp_paddrparams{}', '#sctp_event_subscribe{}',
    '#sctp_status{}', '#sctp_paddrinfo{}'],
};

test('every call, flag, cmsg, notification and option of the lists has a row', () => {
  for (const [heading, required] of Object.entries(REQUIRED)) {
    const names = rowNames(heading);
    for (const name of required) assert.ok(names.has(name), `no row for \`${name}\` under "${heading}"`);
  }
});

// -------------------------------------------------------------------------------------------------
// The error table against wasi:sockets and src/errors.ts

/** The table's rows: error-code -> the errno names of its second column. */
function errorTable(): Map<string, string[]> {
  const t = table('Error codes');
  assert.equal(t.header.slice(0, 2), ['`error-code`', 'errno from the stack']);
  return new Map(t.rows.map((r) => [backticked(r.cells[0])[0], backticked(r.cells[1]).filter((n) => /^E[A-Z0-9]+$/.test(n))]));
}

test('the error table has one row per error-code of wasi:sockets/network, in its order', () => {
  const wasi = deps.get('wasi:sockets/network')?.types.get('error-code');
  assert.ok(wasi, 'wit/deps has no wasi:sockets/network error-code');
  assert.equal([...errorTable().keys()], [...wasi!.members]);
  assert.equal([...ERROR_CODES], [...wasi!.members], 'src/errors.ts knows the same codes');
});

test('the errno values of the error table are the map of src/errors.ts, no more and no fewer', () => {
  const rows = errorTable();
  // ENOENT means "no such association" on one-to-many sockets and "it has ended" on one-to-one ones.
  const contexts = [{}, { oneToOne: true }];
  const errno = constants.errno as Record<string, number>;
  for (const [code, names] of rows) {
    for (const name of names) {
      assert.ok(name in errno, `${code}: ${name} is not an errno of this platform`);
      const codes = contexts.map((c) => errnoToCode(errno[name], c));
      assert.ok(codes.includes(code as never), `${name} is listed under ${code}, but src/errors.ts maps it to ${[...new Set(codes)].join(' or ')}`);
    }
  }
  for (const [name, value] of Object.entries(errno)) {
    for (const c of contexts) {
      const code = errnoToCode(value, c);
      if (code !== 'unknown') assert.ok(rows.get(code)?.includes(name), `src/errors.ts maps ${name} to ${code}: list it in that row`);
    }
  }
});

// -------------------------------------------------------------------------------------------------
// The Linux and usrsctp columns against the C headers
//
// A cell starting with Y means the header knows every SCTP_ constant of the row's name; N or "not in
// the header" means it knows none of them. Constants and usrsctp_ functions named in a cell itself
// ("as `SCTP_PLUGGABLE_SS`", "`usrsctp_bindx`") must be in the header.

function checkColumn(header: Header, column: number): number {
  let checked = 0;
  for (const heading of FOUR_TABLES) {
    for (const row of table(heading).rows) {
      const constants = backticked(row.cells[0]).filter((n) => /^SCTP_[A-Z0-9_]+$/.test(n));
      const cell = row.cells[column];
      const known = constants.filter((c) => header.identifiers.has(c));
      if (/^Y\b/.test(cell)) assert.equal(known, constants, `${where(row)}: says Y, but ${header.path} lacks ${constants.filter((c) => !known.includes(c))}`);
      if (/^(N\b|not in the header)/.test(cell)) assert.equal(known, [], `${where(row)}: says "${cell}", but ${header.path} has ${known}`);
      for (const name of backticked(cell).filter((n) => /^(SCTP_[A-Z0-9_]+|usrsctp_[a-z_]+)$/.test(n))) {
        assert.ok(header.identifiers.has(name), `${where(row)}: ${name} is not in ${header.path}`);
      }
      checked += constants.length;
    }
  }
  return checked;
}

test('the usrsctp column agrees with usrsctp.h', () => {
  const header = readHeader(USRSCTP_H);
  assert.ok(header, `${USRSCTP_H} is missing (scripts/setup.sh installs libusrsctp-dev)`);
  assert.ok(checkColumn(header!, 4) > 100);
});

test('the Linux column agrees with linux/sctp.h', () => {
  const header = readHeader(LINUX_SCTP_H);
  if (!header) {
    console.log(`  skipped: ${LINUX_SCTP_H} is not installed (Debian package linux-libc-dev)`);
    return;
  }
  assert.ok(checkColumn(header, 2) > 100);
});

test.run();
