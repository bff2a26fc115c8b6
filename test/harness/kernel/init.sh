#!/bin/sh
# init (PID 1) of the user-mode Linux kernel that test/kernel-interop.test.ts boots: loads SCTP,
# configures vec0 and runs peer.py with the console as its control channel. The root file system
# is the host's own, read-only (hostfs), so the host's python3 runs unchanged.
# Parameters come from the kernel command line as environment variables:
#   KADDR (this kernel's address/prefix on vec0), KUDP (net.sctp.udp_port).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
fail() { echo "@@{\"event\":\"failed\",\"error\":\"init: $*\"}"; busybox poweroff -f; }
# Read the peer program before /tmp becomes a fresh tmpfs: the project may live under /tmp.
peer_program=$(busybox cat "$(dirname "$0")/peer.py") || fail "no peer.py"
busybox mount -t proc proc /proc
busybox mount -t sysfs sysfs /sys
busybox mount -t tmpfs tmpfs /tmp
busybox dmesg -n 1
modules=/usr/lib/uml/modules/$(busybox uname -r)/kernel
# No modprobe here: dependencies first; hmac for the cookie's MD5 HMAC (listen fails without it).
for m in crypto/hmac lib/crc-ccitt net/ipv6/ipv6 net/ipv4/udp_tunnel net/ipv6/ip6_udp_tunnel net/sctp/sctp; do
  busybox insmod "$modules/$m.ko" || fail "insmod $m"
done
ip link set lo up
ip addr add "$KADDR" dev vec0 || fail "no vec0"
ip link set vec0 up
# Segmentation offloads lose segments of UDP-encapsulated SCTP (and stall every large message).
ethtool -K vec0 tso off gso off tx off sg off >/dev/null 2>&1
busybox sysctl -qw net.sctp.udp_port="$KUDP" net.sctp.encap_port=0 \
  net.sctp.rto_initial=300 net.sctp.rto_min=100 net.sctp.rto_max=2000 \
  net.core.rmem_max=8388608 net.core.wmem_max=8388608 || fail "sysctl"
exec /usr/bin/python3 -B -c "$peer_program"
