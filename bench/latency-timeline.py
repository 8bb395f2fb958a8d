#!/usr/bin/env python3
"""latency-timeline.py PORT SECONDS: 16 keep-alive clients send GET / in a loop for SECONDS and the
worst 8 requests are printed as (latency ms, seconds since the start, answered with Connection:
close). Run it while reloading an app to see when its slow requests come (bench/cluster.sh only
gives the p99). Used in docs/BENCHMARKS.md, socket mode."""
import socket, threading, time, sys
port=int(sys.argv[1]); dur=float(sys.argv[2])
res=[]; lock=threading.Lock(); end=time.time()+dur
def run():
    s=None
    while time.time()<end:
        if s is None:
            s=socket.create_connection(("127.0.0.1",port))
        t0=time.time()
        try:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            data=b""
            while b"\n" not in data.split(b"\r\n\r\n",1)[-1] or b"\r\n\r\n" not in data:
                c=s.recv(4096)
                if not c: raise IOError("eof")
                data+=c
            close = b"onnection: close" in data
        except Exception as e:
            s.close(); s=None; continue
        t1=time.time()
        with lock: res.append((t1-t0, t0, close))
        if close:
            s.close(); s=None
ts=[threading.Thread(target=run) for _ in range(16)]
[t.start() for t in ts]; [t.join() for t in ts]
res.sort(reverse=True)
base=min(r[1] for r in res)
print(len(res), "requests; worst:", [(round(l*1000,1), round(t-base,3), c) for l,t,c in res[:8]])
