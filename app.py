"""The ona dashboard on the bundled sample organisation: ``python app.py``, then open
http://127.0.0.1:8050. For your own data: ``ona serve DATA_DIR``."""

from __future__ import annotations

import os

import ona
from ona.dashboard import create_app

app = create_app(os.environ.get("ONA_DATA", ona.sample_path("acme")))
server = app.server  # for a WSGI server: gunicorn app:server

if __name__ == "__main__":
    app.run(host=os.environ.get("ONA_HOST", "127.0.0.1"), port=int(os.environ.get("ONA_PORT", "8050")))
