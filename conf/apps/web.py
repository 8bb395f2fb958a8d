"""A tiny HTTP app (standard library only) on $PORT, default 8000."""
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"{os.environ.get('GREETING', 'hello')} from instance {os.environ.get('JPM_INSTANCE_ID', '?')} (pid {os.getpid()})\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        print(fmt % args, flush=True)


server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8000"))), Hello)
signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
print(f"web listening on {server.server_address[1]}", flush=True)
server.serve_forever()
