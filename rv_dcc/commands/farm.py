"""``rv-dcc farm``: run the embedded farm in the foreground until Ctrl-C or SIGTERM.

Prints the URL and the credentials a client needs (the documented defaults unless given), then
serves. The access key may also come from the environment variable ``RV_DCC_FARM_ACCESS_KEY``
(how ``rv_dcc.farm.launcher`` passes it, so it never shows in a process list).

Off loopback (``--host 0.0.0.0`` or a LAN address) the published default key is never used: with
no key given, a random one is made and printed once, with a warning that the farm is reachable
from the network; ``--access-key`` equal to the default is a usage error. The advertised URL is
``--advertise HOST``, else this machine's outbound address (never ``0.0.0.0``).

``rv-dcc farm stop`` stops the farm serving the data folder (``--data``, default the user data
folder): the background farm a command started when no account was configured (the command said
so), or a foreground ``rv-dcc farm`` of the same folder.
"""
import argparse
import logging
import os
import signal
import threading
from typing import Any


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the farm's options."""
    from rv_dcc.app.local_farm import DEFAULT_ACCESS_ID, DEFAULT_HOST, DEFAULT_PORT

    parser.add_argument("action", nargs="?", choices=("stop",),
                        help="stop: stop the farm of --data (the background farm a command started); "
                             "without it, serve in the foreground")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 = any free)")
    parser.add_argument("--data", default=None, metavar="DIR",
                        help="state folder (default: the user data folder, rv_dcc/farm)")
    parser.add_argument("--access-id", default=DEFAULT_ACCESS_ID, help=f"access id to accept (default {DEFAULT_ACCESS_ID})")
    parser.add_argument("--access-key", default=None,
                        help="access key to accept (default: $RV_DCC_FARM_ACCESS_KEY, else the documented local key)")
    parser.add_argument("--advertise", default=None, metavar="HOST",
                        help="address clients reach the farm at, when --host is not loopback "
                             "(default: this machine's outbound address)")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="clock speed: 10 renders a 60 s frame in 6 s (default 1)")
    parser.add_argument("--fail-rate", type=float, default=0.0, help="share of frames that fail, 0-1 (default 0)")
    parser.add_argument("--nodes", type=int, default=20, help="render machines of the farm (default 20)")
    parser.add_argument("--verbose", action="store_true", help="log every request")


def run(args: Any) -> int:
    """Serve until interrupted."""
    import secrets
    import sys

    from rv_dcc.app.local_farm import DEFAULT_ACCESS_KEY, DEFAULT_PLATFORM, default_data_dir, is_loopback_host, new_farm

    if args.action == "stop":
        return _stop_background(args)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    key = args.access_key or os.environ.get("RV_DCC_FARM_ACCESS_KEY") or DEFAULT_ACCESS_KEY
    if not 0 <= args.fail_rate <= 1 or args.speed <= 0 or args.nodes < 1:
        return _say_error(args, "--fail-rate must be between 0 and 1, --speed above 0 and --nodes at least 1", 2)
    generated = False
    if not is_loopback_host(args.host):
        if key == DEFAULT_ACCESS_KEY and (args.access_key or os.environ.get("RV_DCC_FARM_ACCESS_KEY")):
            return _say_error(args, f"the published default access key cannot be used on {args.host}: anyone on "
                                    "the network could use the farm", 2,
                              hint="Give another --access-key, or leave it out for a random one.")
        if key == DEFAULT_ACCESS_KEY:
            key, generated = secrets.token_urlsafe(24), True
        print(f"rv-dcc farm: WARNING: listening on {args.host}: the farm is reachable from the network; "
              "anyone with the access id and key can use it. Share the key only with the people who need it.",
              file=sys.stderr, flush=True)
    data = os.path.abspath(args.data or default_data_dir())
    farm = new_farm(data, host=args.host, port=args.port, access_id=args.access_id, access_key=key,
                        speed=args.speed, fail_rate=args.fail_rate, platform=args.platform or DEFAULT_PLATFORM,
                        nodes=args.nodes, advertise=args.advertise)
    try:
        farm.start()
    except OSError as exc:
        return _say_error(args, f"cannot listen on {args.host}:{args.port} ({exc.strerror or exc})", 1,
                          hint="Pick another --port, or --port 0 for any free one (is a farm already running? "
                               "rv-dcc status shows it).")
    done = threading.Event()

    def _stop(signum: int, frame: Any) -> None:
        done.set()

    # Ctrl-C and SIGTERM both just end the wait below, so the farm always stops cleanly.
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    shown = key == DEFAULT_ACCESS_KEY or generated  # the documented key, or a new random one (printed once)
    shown_key = (key + ("  (random, made for this run: it is not shown again)" if generated else "")
                 if shown else "(the key you gave)")
    if args.json:
        # One JSON line a script reads to find the farm (the key only when it is the documented one).
        from rv_dcc.commands.connect import emit_json

        emit_json({"event": "serving", "url": farm.url, "domain": farm.domain, "protocol": "http",
                   "platform": str(farm.platform), "access_id": farm.access_id,
                   "access_key": key if shown else None, "data": data,
                   "speed": farm.speed, "fail_rate": farm.fail_rate})
    else:
        print(f"rv_dcc embedded farm serving {farm.url}\n"
              f"  domain      {farm.domain}  (protocol http, platform {farm.platform})\n"
              f"  access id   {farm.access_id}\n"
              f"  access key  {shown_key}\n"
              f"  data        {data}\n"
              f"  speed x{farm.speed:g}, fail rate {farm.fail_rate:g}; Ctrl-C to stop", flush=True)
    try:
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        farm.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if args.json:
            from rv_dcc.commands.connect import emit_json

            emit_json({"event": "stopped", "url": farm.url})
        else:
            print("rv_dcc embedded farm stopped", flush=True)
    return 0


def _stop_background(args: Any) -> int:
    """``rv-dcc farm stop``: stop the farm serving the data folder, if one runs."""
    from rv_dcc.app.local_farm import stop_background

    state, stopped, data = stop_background(args.data)
    url = (state or {}).get("url")
    if args.json:
        from rv_dcc.commands.connect import emit_json

        emit_json({"event": "stopped" if stopped else "not_running", "url": url, "data": data,
                   "pid": (state or {}).get("pid")})
    elif stopped and state is not None:
        print(f"stopped the embedded farm on {url} (pid {state['pid']}, data in {data})", flush=True)
    else:
        print(f"no embedded farm is running from {data}; nothing to stop", flush=True)
    return 0


def _say_error(args: Any, message: str, code: int, hint: str = "See rv-dcc farm --help.") -> int:
    """An error on stderr (or JSON on stdout with --json); returns ``code``."""
    import sys

    if args.json:
        from rv_dcc.commands.connect import emit_json

        emit_json({"error": "UsageError" if code == 2 else "FarmError", "message": message, "hint": hint})
    else:
        print(f"rv-dcc farm: {message} — {hint}", file=sys.stderr)
    return code
