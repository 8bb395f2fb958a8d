#!/usr/bin/env python3
"""bench/satan.sh's app. Writes $BENCH_DIR/started-<pid> (epoch ms) at start, then:
  grow <bytes>: once $BENCH_DIR/grow exists, allocates 8 MiB every 20 ms and writes
                $BENCH_DIR/crossed-<pid> (epoch ms) when its own RSS first exceeds <bytes>;
  http:         serves 200 on $PORT; once $BENCH_DIR/hang exists it stops answering (stays alive)."""
import os
import sys
import time

d = os.environ["BENCH_DIR"]
pid = os.getpid()


def stamp(name):
    with open(os.path.join(d, "%s-%d.tmp" % (name, pid)), "w") as f:
        f.write(str(int(time.time() * 1000)))
    os.rename(os.path.join(d, "%s-%d.tmp" % (name, pid)), os.path.join(d, "%s-%d" % (name, pid)))


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


stamp("started")
if sys.argv[1] == "grow":
    limit = int(sys.argv[2])
    hold = []
    crossed = False
    while True:
        if os.path.exists(os.path.join(d, "grow")):
            hold.append(bytearray(8 * 1024 * 1024))
            if not crossed and rss() > limit:
                stamp("crossed")
                crossed = True
            time.sleep(0.02)
        else:
            time.sleep(0.05)
else:
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            while os.path.exists(os.path.join(d, "hang")):
                time.sleep(0.1)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok\n")

        def log_message(self, *args):
            pass

    HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
