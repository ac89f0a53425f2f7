# A CPU-bound WSGI app for bench/baseline-real.js, served by Debian's gunicorn: each request hashes
# a 4 KiB block WORK times with SHA-256 before it answers. WORK comes from the environment, so the
# bench restarts the app with more work per request to make a slowdown.
import hashlib
import os

from flask import Flask

app = Flask(__name__)
WORK = int(os.environ.get('WORK', '400'))
BLOCK = bytes([7]) * 4096


@app.route('/')
def index():
    digest = BLOCK
    for _ in range(WORK):
        digest = hashlib.sha256(digest + BLOCK).digest()
    return digest.hex()
