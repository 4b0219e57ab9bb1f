"""Thumbnail disk cache against a real loopback HTTP server."""
import http.server
import threading

import pytest

from rv_dcc.monitor.source import urls_in
from rv_dcc.monitor.thumbs import ThumbnailCache

PNG = b"\x89PNG\r\n\x1a\n" + b"x" * 100


@pytest.fixture
def server():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            if self.path.startswith("/missing"):
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(PNG)))
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def test_fetch_downloads_once_then_serves_from_disk(tmp_path, server):
    base, hits = server
    cache = ThumbnailCache(str(tmp_path))
    path = cache.fetch(42, [f"{base}/t/42.png"])
    assert path.endswith("42_0.png") and open(path, "rb").read() == PNG
    again = ThumbnailCache(str(tmp_path)).fetch(42, [f"{base}/t/42.png"])
    assert again == path and hits == ["/t/42.png"]
    assert cache.fetch(42, [f"{base}/t/42.png"], render_count=1) != path  # a re-render is a new image
    assert len(hits) == 2


def test_first_working_url_wins_and_all_failing_raises(tmp_path, server):
    base, _hits = server
    cache = ThumbnailCache(str(tmp_path))
    assert cache.fetch(1, [f"{base}/missing.jpg", f"{base}/ok.jpg"]).endswith("1_0.jpg")
    with pytest.raises(Exception):
        cache.fetch(2, [f"{base}/missing.jpg"])
    assert cache.cached(2) is None and cache.fetch(3, []) is None
    assert not [p for p in cache.files() if ".part-" in p]


def test_trim_keeps_the_cache_under_budget(tmp_path):
    cache = ThumbnailCache(str(tmp_path), download=lambda url: b"y" * 1000, max_bytes=2500)
    for frame_id in range(5):
        cache.fetch(frame_id, [f"http://h/{frame_id}.jpg"])
    cache.trim()
    assert sum(1 for _ in cache.files()) == 2


def test_urls_in_finds_urls_in_any_reply_shape():
    reply = {"data": ["http://a/1.jpg", {"url": "https://b/2.png", "n": 3}], "other": "/local/path.jpg"}
    assert sorted(urls_in(reply)) == ["http://a/1.jpg", "https://b/2.png"]
    assert urls_in("SUCCESS") == []
