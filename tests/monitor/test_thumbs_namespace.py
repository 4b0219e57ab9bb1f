"""Frame ids are unique only within one farm account: the thumbnail cache keeps accounts apart."""
from types import SimpleNamespace

from rv_dcc.monitor.thumbs import ThumbnailCache, namespace_for


def test_two_farms_never_share_a_frame_thumbnail(tmp_path):
    served = {"a": b"\x89PNG-farm-a", "b": b"\x89PNG-farm-b"}
    farm_a = ThumbnailCache(str(tmp_path), download=lambda url: served["a"],
                            namespace=namespace_for(SimpleNamespace(domain="jop.foxrenderfarm.com", access_id="A")))
    farm_b = ThumbnailCache(str(tmp_path), download=lambda url: served["b"],
                            namespace=namespace_for(SimpleNamespace(domain="127.0.0.1:8765", access_id="rvdcc-local")))
    path_a = farm_a.fetch(7, ["http://x/t/7.png"])
    assert farm_b.cached(7) is None  # same frame id on another farm: not a hit
    path_b = farm_b.fetch(7, ["http://y/t/7.png"])
    assert path_a != path_b
    assert open(path_a, "rb").read() == served["a"] and open(path_b, "rb").read() == served["b"]
    assert "rvdcc-local" not in path_b and "127.0.0.1" not in path_b  # the namespace is hashed
