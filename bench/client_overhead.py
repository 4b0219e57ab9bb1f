"""Client-side CPU per task-list call: rv_dcc's client vs the official SDK vs bare requests.

Starts a loopback HTTP server in its own process (so its CPU is not counted), then, each in a
fresh interpreter, times N ``getTaskList`` calls with ``time.process_time()``:
  * rv_dcc.api.RayvisionAPI (this checkout),
  * the official client ``rayvision-api==3.0.4.3``, installed by this script with pip into a
    throwaway venv under a temporary folder (removed afterwards),
  * a bare ``requests.Session.post`` with fixed headers and ``resp.json()``.
The reply is the reference's task-list example (one task with two layer sub-tasks). Prints the
three figures and the ratio ours / official (target: <= 0.5).

Usage: python bench/client_overhead.py [-n CALLS] [--official-python PATH] [--skip-official]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

REPLY_DATA = {"pageCount": 32, "pageNum": 1, "total": 32, "size": 1, "items": [{
    "sceneName": "scene.max", "id": 18278, "taskAlias": "P18278", "taskStatus": 0, "statusText": "render_task_status_0",
    "preTaskStatus": 25, "totalFrames": 0, "abortFrames": None, "framesRange": "0", "projectName": "",
    "submitDate": 1535602289000, "userName": "artist", "taskLevel": 79, "taskLimit": 200, "userId": 10001520,
    "cgId": 2001, "taskKeyValueVo": {"tiles": None, "allCamera": None, "renderableCamera": None},
    "respRenderingTaskList": [
        {"id": 18280 + n, "taskAlias": f"P{18280 + n}", "taskStatus": 25, "totalFrames": 17, "doneFrames": 17,
         "renderConsume": 6.7, "submitDate": 1535602289000, "startTime": 1535603885000,
         "completedDate": 1535604765000, "outputFileName": f"{18280 + n}_scene", "munuTaskId": "2018083000079",
         "layerParentId": 18278, "cgId": 2001, "taskType": "Render", "respRenderingTaskList": None}
        for n in range(2)],
}]}

SERVER = textwrap.dedent(r"""
    import json, sys
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    body = json.dumps({"version": "1.0.0", "result": True, "message": "success", "code": 200,
                       "data": json.loads(sys.argv[1]), "serverTime": 1, "requestId": "bench"}).encode()
    # One write per reply, no Nagle: a split header/body write meets delayed ACKs (40 ms stalls).
    reply = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True
        def log_message(self, *a): pass
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.wfile.write(reply)
    s = ThreadingHTTPServer(("127.0.0.1", 0), H)
    print(s.server_address[1], flush=True)
    s.serve_forever()
""")

MEASURE = textwrap.dedent("""
    import json, sys, time
    kind, domain, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if kind == "rv_dcc":
        from rv_dcc.api import RayvisionAPI
        api = RayvisionAPI("AKIDbench", "bench-key", domain=domain, platform="2", protocol="http")
        call = lambda: api.query.get_task_list(page_num=1, page_size=100)["items"]
    elif kind == "official":
        import logging
        from rayvision_api import RayvisionAPI
        api = RayvisionAPI(access_id="AKIDbench", access_key="bench-key", domain=domain, platform="2",
                           protocol="http")
        call = lambda: api.query.get_task_list(page_num=1, page_size=100)["items"]
    else:
        import requests
        session = requests.Session()
        url = "http://" + domain + "/api/render/handle/getTaskList/v2"
        headers = {"accessId": "AKIDbench", "channel": "4", "platform": "2", "UTCTimestamp": "1700000000",
                   "nonce": "123456", "signature": "x", "version": "2.0.0", "Content-Type": "application/json",
                   "languageFlag": "1"}
        payload = json.dumps({"pageNum": 1, "pageSize": 100})
        call = lambda: session.post(url, data=payload, headers=headers, timeout=30).json()["data"]["items"]
    for _ in range(100):  # warm up: imports, connection, caches
        call()
    start = time.process_time()
    for _ in range(n):
        call()
    print(json.dumps({"cpu_ms": (time.process_time() - start) * 1000 / n}))
""")


def measure(python: str, kind: str, domain: str, calls: int, env=None) -> float:
    out = subprocess.run([python, "-c", MEASURE, kind, domain, str(calls)], capture_output=True, text=True,
                         env=env, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(f"{kind} measurement failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])["cpu_ms"]


def official_python(tmp: Path) -> str:
    """A throwaway venv with rayvision-api==3.0.4.3; returns its python."""
    venv = tmp / "official-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
    subprocess.run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "rayvision-api==3.0.4.3"],
                   check=True)
    return python


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--calls", type=int, default=2000)
    parser.add_argument("--official-python", help="a python that already has rayvision-api 3.0.4.3")
    parser.add_argument("--skip-official", action="store_true")
    args = parser.parse_args()

    server = subprocess.Popen([sys.executable, "-c", SERVER, json.dumps(REPLY_DATA)], stdout=subprocess.PIPE, text=True)
    try:
        domain = f"127.0.0.1:{server.stdout.readline().strip()}"
        with tempfile.TemporaryDirectory(prefix="rv_dcc_bench_") as tmp:
            # The official SDK writes logs under the home folder: keep them in the throwaway dir.
            env = dict(os.environ, HOME=tmp, USERPROFILE=tmp)
            ours = measure(sys.executable, "rv_dcc", domain, args.calls)
            bare = measure(sys.executable, "bare", domain, args.calls)
            official = None
            if not args.skip_official:
                python = args.official_python or official_python(Path(tmp))
                official = measure(python, "official", domain, args.calls, env=env)
    finally:
        server.terminate()
        server.wait(10)

    print(f"client-side CPU per getTaskList call ({args.calls} calls, loopback, reference task-list reply)")
    print(f"  rv_dcc.api.RayvisionAPI      : {ours:.3f} ms")
    if official is not None:
        print(f"  rayvision-api 3.0.4.3        : {official:.3f} ms   (reference; issue measured 1.15 ms)")
    print(f"  bare requests.Session.post   : {bare:.3f} ms   (requests defaults; issue measured 0.37 ms)")
    if official is not None:
        ratio = ours / official
        print(f"  ratio rv_dcc / official      : {ratio:.2f}   (target <= 0.50: {'met' if ratio <= 0.5 else 'NOT met'})")
    print(f"  rv_dcc minus bare requests   : {ours - bare:+.3f} ms   (rv_dcc reads proxy/CA settings once, "
          "not per call as requests' defaults do)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
