#!/usr/bin/env python3
"""profile_split.py < `perf script` output (recorded with --call-graph dwarf)

Splits a client's CPU samples into where the time goes, for docs/PERFORMANCE.md's wss notes:

  kernel: socket I/O   system calls on sockets (copies to and from the kernel, TCP, loopback)
  kernel: memory       page faults (fresh buffers)
  kernel: other        poll, scheduling, softirq, timers
  OpenSSL            libcrypto/libssl: AES-GCM, TLS records, and its memory-BIO copies
  Qt socket buffers    QTcpSocket/QSslSocket ring buffers and QIODevice reads, Qt's TLS glue
                       (libQt6Network, the OpenSSL backend plugin)
  WebSocket layer      the client's own WebSocket code: wscli's engine (Wsw::), or QtWebSockets
  harness client       the harness's client code around it (qws_client.cpp / wscli bench)
  Qt event loop etc.   QtCore and glib otherwise: event dispatch, signals, posted events, timers
  not unwound          perf could not walk the stack past generic routines
  setup                loading, the CA store, the TLS handshake, payload generation, exit:
                       outside the harness's timed data phase, left out of the percentages

A sample is charged to the first frame, walking up from the leaf, that is not a generic libc
routine (memcpy, malloc, free, locks, QByteArray's own members...), so a memcpy called by QRingBuffer counts as Qt socket
buffers and one called by our decoder as WebSocket layer. `--detail` adds the top leaf symbols of
each bucket. Debian ships no Qt debug symbols: unnamed QtCore frames count as "Qt event loop etc.".
"""
import collections
import re
import sys

detail = "--detail" in sys.argv
GENERIC = re.compile(r"mem(cpy|move|set|cmp)|malloc|free|realloc|calloc|_int_|tcache|unlink_chunk|"
                     r"pthread_|__lll_|arena|str(len|cmp)|__GI_|cfree|clock_gettime|__vdso|operator new|"
                     r"operator delete|^QByteArray(View)?::|^QArrayData::|QtPrivate::compareMemory")


SETUP = re.compile(r"systemCaCertificates|QSslCertificate|QSslConfiguration|SSL_do_handshake|SSL_connect|"
                   r"OSSL_DECODER|PEM_read|d2i_|X509_|startClientEncryption|QCoreApplication::QCoreApplication|"
                   r"benchPayload|make_payload|_dl_|dl_main|__run_exit_handlers")


def bucket(frames):
    if any(SETUP.search(sym) for sym, dso in frames if dso != "[kernel.kallsyms]"):
        return "setup"
    leaf_sym, leaf_dso = frames[0]
    if leaf_dso == "[kernel.kallsyms]":
        syms = " ".join(s for s, d in frames if d == "[kernel.kallsyms]")
        if "page_fault" in syms:
            return "kernel: memory"
        if re.search(r"tcp_|sock_|_sys_(read|write|recv|send)|copy_(to|from)_iter|skb_", syms):
            return "kernel: socket I/O"
        return "kernel: other"
    for sym, dso in frames:
        base = dso.rsplit("/", 1)[-1]
        if dso == "[kernel.kallsyms]":
            continue
        if GENERIC.search(sym) or (base.startswith("libc.so") and sym in ("[unknown]", "")):
            continue  # memcpy & co. (also where inlined into a caller): the caller decides
        if base.startswith("ld-linux"):
            return "setup"
        if base.startswith(("libcrypto", "libssl")):
            return "OpenSSL"
        if base.startswith(("libQt6Network", "libqopensslbackend")):
            return "Qt socket buffers"
        if base.startswith("libQt6WebSockets"):
            return "WebSocket layer"
        if base.startswith("libQt6Core"):
            if re.search(r"QRingBuffer|QIODevice", sym):
                return "Qt socket buffers"
            return "Qt event loop etc."
        if base.startswith("libglib"):
            return "Qt event loop etc."
        if base in ("wscli", "qws_client_ca", "qws_client"):
            if "Wsw::Cli::" in sym or base != "wscli" or sym.startswith(("main", "0x")):
                return "harness client"
            return "WebSocket layer"
        if base.startswith("libc.so"):
            continue
        return "other: " + base
    return "not unwound"


def samples(lines):
    frames = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if frames:
                yield frames
            frames = []
            continue
        if not line.startswith(("\t", " ")):
            continue  # the sample's header
        m = re.match(r"\s*[0-9a-f]+ (.*?)(\+0x[0-9a-f]+)? \(([^()]*)\)$", line)
        if m:
            frames.append((m.group(1), m.group(3)))
    if frames:
        yield frames


def resolved(frames):
    """An inlined frame belongs to the object of the next real frame (same address)."""
    out, pending = [], []
    for sym, dso in frames:
        if dso == "inlined":
            pending.append(sym)
            continue
        out += [(p, dso) for p in pending] + [(sym, dso)]
        pending = []
    return out + [(p, "?") for p in pending]


counts, leaves = collections.Counter(), collections.defaultdict(collections.Counter)
for frames in map(resolved, samples(sys.stdin)):
    b = bucket(frames)
    counts[b] += 1
    leaves[b][frames[0][0]] += 1
setup = counts.pop("setup", 0)
total = sum(counts.values()) or 1
for b, n in counts.most_common():
    print(f"{n * 100 / total:5.1f}%  {b}")
    if detail:
        for sym, k in leaves[b].most_common(4):
            print(f"         {k * 100 / total:5.1f}%  {sym}")
print(f"({total} samples; {setup} more in setup, left out)")
