#!/usr/bin/env python3
"""A Linux-kernel SCTP peer for test/kernel-interop.test.ts.

Runs as the last step of init.sh inside user-mode Linux (a real Linux kernel SCTP stack), with the
UML console as its control channel: one JSON command per line on stdin, answers on stdout as lines
"@@<json>" (the console also carries kernel messages, which the test ignores).

Commands (each has an "id" that every answer repeats):
  {"op": "serve", "port": P, "style": "one-to-one", "behaviour": B}
      listen on P; answer {"event": "listening"}; take one association and run server behaviour B;
      answer {"event": "done", "result": {...}}.
  {"op": "connect", "address": A, "port": P, "encaps": U, "behaviour": B, "case": C, "ppid_base": N}
      connect to A:P (over UDP to port U when U > 0, plain SCTP otherwise), run client behaviour B,
      answer {"event": "done", "result": {...}}.
  {"op": "stats"}  answer {"event": "done", "result": {"snmp": {counter: value}}}.
  {"op": "exit"}   power the kernel off.
Every behaviour records what it saw (messages, notifications, how the association ended); the test
asserts on that. Nothing here blocks for longer than TIMEOUT seconds.
"""
import errno
import json
import os
import socket
import struct
import sys
import threading
import time
import traceback

IPPROTO_SCTP = 132
# <linux/sctp.h>
SCTP_INITMSG = 2
SCTP_NODELAY = 3
SCTP_RECVRCVINFO = 32
SCTP_EVENT = 127
SCTP_REMOTE_UDP_ENCAPS_PORT = 132
SCTP_SNDINFO = 2  # cmsg types
SCTP_RCVINFO = 3
SCTP_UNORDERED = 1
MSG_NOTIFICATION = 0x8000
MSG_EOR = 0x80
SO_SNDBUFFORCE = 32
SO_RCVBUFFORCE = 33
SCTP_ASSOC_CHANGE = 0x8001
SCTP_SHUTDOWN_EVENT = 0x8005
SCTP_SENDER_DRY_EVENT = 0x800A
SUBSCRIBED = (SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_EVENT)
ENDED = ("comm-lost", "shutdown-comp", "cant-str-assoc")
ASSOC_STATES = {0: "comm-up", 1: "comm-lost", 2: "restart", 3: "shutdown-comp", 4: "cant-str-assoc"}

TIMEOUT = 15.0
STREAMS = 8
BUFFER = 4 << 20

# The test's messages (test/guests/interop/patterns.ts makes the same ones).
LARGE_SIZE = 1 << 20


def large_message():
    """byte j = ((j & 4095) + 7 * (j >> 12)) & 255: every 4 KiB block is a different rotation."""
    base = bytes(range(256)) * 16
    blocks = []
    for k in range(LARGE_SIZE // 4096):
        s = (7 * k) % 256
        blocks.append(base[s:] + base[:s])
    return b"".join(blocks)


LARGE = large_message()


def burst(count, ppid_base):
    """Message i: stream i % 8, PPID ppid_base + stream, every fourth unordered, 1..2999 bytes."""
    out = []
    for i in range(count):
        stream = i % STREAMS
        head = ("burst %d stream %d " % (i, stream)).encode()
        size = max(len(head), (i * 211) % 3000)
        out.append((head + b"." * (size - len(head)), stream, ppid_base + stream, i % 4 == 3))
    return out


lock = threading.Lock()


def emit(obj):
    line = ("@@" + json.dumps(obj, separators=(",", ":")) + "\n").encode()
    with lock:
        view = memoryview(line)
        while view:
            n = os.write(1, view)
            view = view[n:]


def describe(data):
    """How a message is reported: short text as is, a large one by size and whether it is the pattern."""
    if len(data) > 4000:
        return {"len": len(data), "largeIntact": data == LARGE}
    return {"len": len(data), "text": data.decode(errors="replace").rstrip(".")}


def make_socket(style="one-to-one", encaps=0):
    kind = socket.SOCK_STREAM if style == "one-to-one" else socket.SOCK_SEQPACKET
    s = socket.socket(socket.AF_INET, kind, IPPROTO_SCTP)
    s.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, BUFFER)
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, BUFFER)
    s.setsockopt(IPPROTO_SCTP, SCTP_INITMSG, struct.pack("=HHHH", STREAMS, STREAMS, 4, 1000))
    s.setsockopt(IPPROTO_SCTP, SCTP_NODELAY, 1)
    s.setsockopt(IPPROTO_SCTP, SCTP_RECVRCVINFO, 1)
    for kind in SUBSCRIBED:
        # struct sctp_event { sctp_assoc_t se_assoc_id (SCTP_FUTURE_ASSOC = 0); u16 se_type; u8 se_on; }
        s.setsockopt(IPPROTO_SCTP, SCTP_EVENT, struct.pack("=iHBx", 0, kind, 1))
    if encaps:
        # struct sctp_udpencaps { sctp_assoc_t; struct sockaddr_storage (aligned 8); u16 port (network
        # byte order); } = 144 bytes; the wildcard address and SCTP_FUTURE_ASSOC: the socket's default.
        s.setsockopt(IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT,
                     struct.pack("=i4x128sH6x", 0, b"", socket.htons(encaps)))
    s.settimeout(TIMEOUT)
    return s


def send(s, data, stream=0, ppid=0, unordered=False):
    flags = SCTP_UNORDERED if unordered else 0
    # struct sctp_sndinfo { u16 sid; u16 flags; u32 ppid (network byte order); u32 context; assoc_id }
    info = struct.pack("=HHIIi", stream, flags, socket.htonl(ppid), 0, 0)
    return s.sendmsg([data], [(IPPROTO_SCTP, SCTP_SNDINFO, info)])


def abort(s):
    """ABORT the association of a one-to-one socket: close with SO_LINGER 0 (Linux takes the
    SCTP_ABORT send flag on one-to-many sockets only)."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def notification(data):
    kind, flags, length = struct.unpack_from("=HHI", data)
    if kind == SCTP_ASSOC_CHANGE:
        state, error, outs, ins, assoc = struct.unpack_from("=HHHHi", data, 8)
        return {"type": "assoc-change", "state": ASSOC_STATES.get(state, state), "error": error,
                "outbound": outs, "inbound": ins, "info": data[20:length].decode("latin-1")}
    if kind == SCTP_SHUTDOWN_EVENT:
        return {"type": "shutdown"}
    return {"type": hex(kind)}


class Receiver:
    """Whole messages, notifications and the end of an association, from recvmsg."""

    def __init__(self, s):
        self.s = s
        self.partial = b""
        self.pieces = 0
        self.ended = False  # a notification said the association is gone

    def next(self):
        """Returns ("message", data, stream, ppid, unordered, pieces), ("notification", dict),
        ("end", how) where how is "eof", an errno name or "timeout"."""
        while True:
            try:
                data, anc, flags, _ = self.s.recvmsg(1 << 20, socket.CMSG_SPACE(28))
            except socket.timeout:
                return ("end", "no-eof" if self.ended else "timeout")
            except OSError as e:
                return ("end", errno.errorcode.get(e.errno, str(e.errno)))
            if flags & MSG_NOTIFICATION:
                return ("notification", notification(data))
            if not data and not anc:
                return ("end", "eof")
            self.partial += data
            self.pieces += 1
            if not flags & MSG_EOR:
                continue
            stream = ppid = 0
            unordered = False
            for level, kind, value in anc:
                if level == IPPROTO_SCTP and kind == SCTP_RCVINFO:
                    stream, _ssn, rflags, ppid = struct.unpack_from("=HHH2xI", value)
                    ppid = socket.ntohl(ppid)
                    unordered = bool(rflags & SCTP_UNORDERED)
            message = ("message", self.partial, stream, ppid, unordered, self.pieces)
            self.partial, self.pieces = b"", 0
            return message


def next_message(rx, result):
    """Records notifications on the way; returns the next whole message as (data, stream, ppid,
    unordered), or None once the association ended (result["end"] says how)."""
    while True:
        item = rx.next()
        if item[0] == "notification":
            result["notifications"].append(item[1])
            if item[1].get("state") in ENDED:
                # The association is gone. What recv says next is reported too, but the initiator
                # of a shutdown gets no EOF on Linux: do not wait long for it.
                rx.s.settimeout(0.5)
                rx.ended = True
            continue
        if item[0] == "end":
            result["end"] = item[1]
            return None
        _, data, stream, ppid, unordered, pieces = item
        entry = {"stream": stream, "ppid": ppid, "unordered": unordered, "pieces": pieces}
        entry.update(describe(data))
        result["messages"].append(entry)
        return data, stream, ppid, unordered


def until_end(rx, result):
    while next_message(rx, result) is not None:
        pass


def new_result():
    return {"messages": [], "notifications": [], "end": None, "sent": 0, "errors": []}


def run_server(cmd):
    result = new_result()
    style = cmd.get("style", "one-to-one")
    listener = make_socket(style)
    listener.bind(("0.0.0.0", cmd["port"]))
    listener.listen(8)
    emit({"id": cmd["id"], "event": "listening", "port": listener.getsockname()[1]})
    try:
        listener.settimeout(2 * TIMEOUT)
        conn, peer = listener.accept()
        conn.settimeout(TIMEOUT)
        result["peer"] = "%s:%d" % peer
        behaviour = cmd["behaviour"]
        rx = Receiver(conn)
        if behaviour == "echo":
            # Echo every message with its stream, PPID and ordering until the association ends.
            while True:
                m = next_message(rx, result)
                if m is None:
                    break
                data, stream, ppid, unordered = m
                try:
                    send(conn, data, stream, ppid, unordered)
                    result["sent"] += 1
                except OSError as e:
                    result["errors"].append("send: %s" % e)
        elif behaviour in ("reply-shutdown", "reply-abort"):
            # Answer the first message, then end the association: gracefully, or with ABORT once
            # the guest said it read the answer.
            if next_message(rx, result) is not None:
                send(conn, b"kernel reply", 2, 77)
                result["sent"] += 1
                if behaviour == "reply-shutdown":
                    conn.shutdown(socket.SHUT_WR)
                    until_end(rx, result)
                elif next_message(rx, result) is not None:
                    # The guest says it read the reply: now the ABORT cannot throw it away.
                    abort(conn)
                    result["end"] = "aborted"
        else:
            raise ValueError("unknown server behaviour %r" % behaviour)
        conn.close()
    finally:
        listener.close()
    return result


def run_client(cmd):
    result = new_result()
    s = make_socket("one-to-one", cmd.get("encaps", 0))
    started = time.monotonic()
    try:
        s.connect((cmd["address"], cmd["port"]))
    except OSError as e:
        result["end"] = "connect: %s" % e
        return result
    result["connect_ms"] = round((time.monotonic() - started) * 1000)
    rx = Receiver(s)
    behaviour = cmd["behaviour"]
    if cmd.get("case"):
        send(s, ("case " + cmd["case"]).encode(), 0, 1)
        result["sent"] += 1
    if behaviour == "burst-echo":
        # Send the burst and the 1 MiB message, wait for every echo, then shut down gracefully.
        messages = burst(cmd.get("count", 64), cmd.get("ppid_base", 0))
        for data, stream, ppid, unordered in messages:
            send(s, data, stream, ppid, unordered)
            result["sent"] += 1
        want = len(messages)
        if cmd.get("large", True):
            send(s, LARGE, 5, 0xC0FFEE)
            result["sent"] += 1
            want += 1
        while len(result["messages"]) < want:
            if next_message(rx, result) is None:
                break
        if result["end"] is None:
            s.shutdown(socket.SHUT_WR)
            until_end(rx, result)
    elif behaviour == "expect-end":
        # The guest answers and then ends the association (shutdown or abort): record how.
        until_end(rx, result)
    elif behaviour == "reply-abort":
        # Wait for the guest's answer, then abort.
        if next_message(rx, result) is not None:
            abort(s)
            result["end"] = "aborted"
            return result
    else:
        raise ValueError("unknown client behaviour %r" % behaviour)
    s.close()
    return result


def snmp():
    """The kernel's SCTP counters (/proc/net/sctp/snmp)."""
    counters = {}
    with open("/proc/net/sctp/snmp") as f:
        for line in f:
            name, value = line.split()
            counters[name] = int(value)
    return counters


def worker(cmd):
    try:
        ops = {"serve": run_server, "connect": run_client, "stats": lambda cmd: {"snmp": snmp()}}
        result = ops[cmd["op"]](cmd)
        emit({"id": cmd["id"], "event": "done", "result": result})
    except Exception:
        emit({"id": cmd["id"], "event": "failed", "error": traceback.format_exc()})


def main():
    try:
        import tty
        tty.setraw(0)  # no echo, no line editing: the console carries JSON both ways
    except Exception as e:
        emit({"event": "log", "message": "setraw: %s" % e})
    settings = {}
    for name in ("udp_port", "encap_port", "rto_initial", "rto_min", "rto_max"):
        with open("/proc/sys/net/sctp/" + name) as f:
            settings[name] = int(f.read())
    emit({"event": "ready", "kernel": os.uname().release, "sctp": settings})
    stdin = os.fdopen(0, "rb", buffering=0)
    pending = b""
    while True:
        chunk = stdin.read(65536)
        if not chunk:
            break
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            line = line.strip()
            if not line:
                continue
            try:
                cmd = json.loads(line)
            except ValueError:
                emit({"event": "log", "message": "bad command %r" % line[:200]})
                continue
            if cmd.get("op") == "exit":
                return
            threading.Thread(target=worker, args=(cmd,), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    finally:
        os.system("busybox poweroff -f")
