"""``RayvisionAPI``: the farm client -- configuration, credentials and the six namespaces.

Drop-in for the official SDK's ``rayvision_api.RayvisionAPI``: the same constructor keywords
and namespaces (``user``, ``task``, ``query``, ``tag``, ``env``, ``transmit``), created lazily
on first access. Constructing a client makes no network call and imports neither requests nor
pydantic. One client may be shared by several worker threads.
"""
import threading
from typing import TYPE_CHECKING, Any, Callable, Optional, Tuple, Union, cast

from rv_dcc.api import credentials as _credentials
from rv_dcc.api.transport import Transport

if TYPE_CHECKING:  # the namespaces load on first access; their types are for the checker only
    from rv_dcc.api.env import EnvNamespace
    from rv_dcc.api.query import QueryNamespace
    from rv_dcc.api.tag import TagNamespace
    from rv_dcc.api.task import TaskNamespace
    from rv_dcc.api.transmit import TransmitNamespace
    from rv_dcc.api.user import UserNamespace

DEFAULT_DOMAIN = "task.renderbus.com"
DEFAULT_PLATFORM = "2"


class RayvisionAPI:
    """A client for one farm account.

    ``access_id`` / ``access_key`` default to the environment or the saved account (see
    :mod:`rv_dcc.api.credentials`); ``paths`` chooses the path set ("current", as the official
    SDK calls, or "seed", as api_reference.md shows); ``timeout`` is seconds, or
    ``(connect, read)``; ``session`` lets a caller pass its own ``requests.Session``;
    ``retries``/``backoff`` bound the automatic retries of queries; ``deadline`` is the seconds one
    call may take in all (a server trickling bytes cannot hold it longer), ``max_reply`` the bytes
    of a reply at most (larger ones are refused before they fill memory); ``cancel`` (a
    ``threading.Event``, a ``CancelToken`` or a function returning True) ends a query's wait for
    its next retry at once, raising the error it would have retried (see :mod:`rv_dcc.retry`).
    """

    def __init__(self, access_id: Optional[str] = None, access_key: Optional[str] = None,
                 domain: Optional[str] = None, platform: Optional[Union[str, int]] = None,
                 protocol: Optional[str] = None, timeout: Union[float, Tuple[float, float]] = (10.0, 30.0),
                 paths: str = "current", session: Any = None, retries: int = 3, backoff: float = 0.5,
                 deadline: Optional[float] = 120.0, max_reply: int = 32 * 1024 * 1024, cancel: Any = None) -> None:
        account = _credentials.resolve(access_id, access_key, domain, None if platform is None else str(platform),
                                       protocol)
        self.access_id = account.access_id or ""
        self.domain = (account.domain or DEFAULT_DOMAIN).strip().rstrip("/")
        for prefix in ("https://", "http://"):
            if self.domain.startswith(prefix):  # tolerate a pasted URL; the wire wants the bare host
                self.domain = self.domain[len(prefix):]
        self.platform = str(account.platform or DEFAULT_PLATFORM)
        self.protocol = account.protocol or "https"
        self.paths = paths
        self._transport = Transport(self.access_id, account.access_key or "", self.domain, self.platform,
                                    self.protocol, timeout=timeout, paths=paths, session=session, retries=retries,
                                    backoff=backoff, deadline=deadline, max_reply=max_reply,
                                    cancel=cancel)
        self._ns_lock = threading.Lock()

    def __repr__(self) -> str:
        return (f"RayvisionAPI(domain={self.domain!r}, platform={self.platform!r}, access_id={self.access_id!r}, "
                f"paths={self.paths!r})")

    def close(self) -> None:
        """Close pooled connections."""
        self._transport.close()

    def __enter__(self) -> "RayvisionAPI":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def call(self, operation: str, body: Optional[dict] = None) -> Any:
        """Send any operation of ``operations.py`` by wire name with a wire body; returns raw ``data``."""
        return self._transport.call(operation, body)

    def _namespace(self, attr: str, module: str, cls: str) -> Any:
        ns = self.__dict__.get(attr)
        if ns is None:
            with self._ns_lock:
                ns = self.__dict__.get(attr)
                if ns is None:
                    import importlib

                    ns = getattr(importlib.import_module(f"rv_dcc.api.{module}"), cls)(self)
                    self.__dict__[attr] = ns
        return ns

    @property
    def user(self) -> "UserNamespace":
        """Account operations (:class:`rv_dcc.api.user.UserNamespace`)."""
        return cast("UserNamespace", self._namespace("_user", "user", "UserNamespace"))

    @property
    def task(self) -> "TaskNamespace":
        """Task life-cycle operations (:class:`rv_dcc.api.task.TaskNamespace`)."""
        return cast("TaskNamespace", self._namespace("_task", "task", "TaskNamespace"))

    @property
    def query(self) -> "QueryNamespace":
        """Queries and frame operations (:class:`rv_dcc.api.query.QueryNamespace`)."""
        return cast("QueryNamespace", self._namespace("_query", "query", "QueryNamespace"))

    @property
    def tag(self) -> "TagNamespace":
        """Projects and task labels (:class:`rv_dcc.api.tag.TagNamespace`)."""
        return cast("TagNamespace", self._namespace("_tag", "tag", "TagNamespace"))

    @property
    def env(self) -> "EnvNamespace":
        """Render environments (:class:`rv_dcc.api.env.EnvNamespace`)."""
        return cast("EnvNamespace", self._namespace("_env", "env", "EnvNamespace"))

    @property
    def transmit(self) -> "TransmitNamespace":
        """Transfer configuration and output listing (:class:`rv_dcc.api.transmit.TransmitNamespace`)."""
        return cast("TransmitNamespace", self._namespace("_transmit", "transmit", "TransmitNamespace"))
