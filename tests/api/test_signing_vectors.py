"""The signing vectors of spec/wire.md §8, through signing.py and through the client's own headers."""
import pytest

from rv_dcc.api import signing, transport
from rv_dcc.api.transport import Transport

KEY = "SECRETexampleKey9876543210"
COMMON = {"accessId": "AKIDexample0123456789", "channel": "4", "platform": "2", "version": "2.0.0"}

VECTORS = [
    ("jop.foxrenderfarm.com", "/api/render/setUp/queryUserProfile", "2", "1700000000", "123456", {},
     "[POST]jop.foxrenderfarm.com:/api/render/setUp/queryUserProfile&UTCTimestamp=1700000000&accessId="
     "AKIDexample0123456789&channel=4&nonce=123456&platform=2&version=2.0.0",
     "qE8yQ5E/iJaOcf9RK6TVoP9RKFytNh/m4T+Ajedrghk="),
    ("jop.foxrenderfarm.com", "/api/render/submit/createTask", "2", "1700000100", "654321",
     {"count": 1, "taskUserLevel": 50, "labels": ["label_a", "label_b"], "artist": "Jane Doe"},
     "[POST]jop.foxrenderfarm.com:/api/render/submit/createTask&UTCTimestamp=1700000100&accessId="
     "AKIDexample0123456789&artist=Jane Doe&channel=4&count=1&labels0=label_a&labels1=label_b&nonce=654321"
     "&platform=2&taskUserLevel=50&version=2.0.0",
     "EPFidI9wEY0DST8JjXUKhJQzYfH65osE46/CZJZlqDU="),
    ("task.renderbus.com", "/api/render/handle/getTaskList/v2", "62", "1700000200", "100001",
     {"pageNum": 1, "pageSize": 100, "statusList": [5, 25], "searchKeyword": "衣帽间",
      "extra": {"a": True, "b": None, "c": 1.5, "d": [], "e": {}, "f": [{"g": "x"}, {"g": "y"}]}},
     "[POST]task.renderbus.com:/api/render/handle/getTaskList/v2&UTCTimestamp=1700000200&accessId="
     "AKIDexample0123456789&channel=4&extra.a=True&extra.b=None&extra.c=1.5&extra.f0.g=x&extra.f1.g=y"
     "&nonce=100001&pageNum=1&pageSize=100&platform=62&searchKeyword=衣帽间&statusList0=5&statusList1=25"
     "&version=2.0.0",
     "UHzdk9ahIZ6Q+7yWyWkgJyvRNBrdOXklJ93wTTQSnL8="),
    ("jop.foxrenderfarm.com", "/api/rendering/task/renderingTask/stopTask", "2", "1700000300", "777777",
     {"taskIds": list(range(101, 113))},
     "[POST]jop.foxrenderfarm.com:/api/rendering/task/renderingTask/stopTask&UTCTimestamp=1700000300&accessId="
     "AKIDexample0123456789&channel=4&nonce=777777&platform=2&taskIds0=101&taskIds1=102&taskIds10=111"
     "&taskIds11=112&taskIds2=103&taskIds3=104&taskIds4=105&taskIds5=106&taskIds6=107&taskIds7=108"
     "&taskIds8=109&taskIds9=110&version=2.0.0",
     "4ORFuY9zzej/hPjVlqdPwztpxeJD3mwBrgklDU1jJmI="),
    ("jop.foxrenderfarm.com", "/api/render/handle/operate/sdk/taskRecord", "2", "1700000400", "123123",
     {"platform": 2, "pageNum": 1, "pageSize": 10, "startDate": "", "endDate": ""},
     "[POST]jop.foxrenderfarm.com:/api/render/handle/operate/sdk/taskRecord&UTCTimestamp=1700000400&accessId="
     "AKIDexample0123456789&channel=4&endDate=&nonce=123123&pageNum=1&pageSize=10&platform=2&startDate="
     "&version=2.0.0",
     "yXQ3Uq+p/QA4Hl/zK6mBFp5KlNEuxhS1hSMxdAzcnco="),
]


@pytest.mark.parametrize("domain,path,platform,ts,nonce,body,text,signature", VECTORS, ids="ABCDE")
def test_vector(domain, path, platform, ts, nonce, body, text, signature):
    headers = dict(COMMON, platform=platform, UTCTimestamp=ts, nonce=nonce)
    assert signing.string_to_sign(domain, path, headers, body) == text
    assert signing.sign(KEY, domain, path, headers, body) == signature
    assert signing.verify(KEY, domain, path, headers, body, signature)
    assert not signing.verify(KEY + "x", domain, path, headers, body, signature)


@pytest.mark.parametrize("domain,path,platform,ts,nonce,body,text,signature", VECTORS, ids="ABCDE")
def test_client_headers_reproduce_vector(monkeypatch, domain, path, platform, ts, nonce, body, text, signature):
    # Pin the clock and the nonce: the client's own header building must then give the vector.
    monkeypatch.setattr(transport.time, "time", lambda: float(ts) + 0.9)
    monkeypatch.setattr(transport.secrets, "randbelow", lambda n: int(nonce))
    t = Transport("AKIDexample0123456789", KEY, domain, platform)
    headers = t.headers(path, body)
    assert headers["signature"] == signature
    assert headers["UTCTimestamp"] == ts and headers["nonce"] == nonce
    assert headers["languageFlag"] == ("0" if "renderbus" in domain else "1")
    assert headers["channel"] == "4" and headers["version"] == "2.0.0"
    assert headers["Content-Type"] == "application/json"


def test_vector_f_hmac_alone():
    assert signing.hmac_b64("test_key", "test_msg") == "TC9wro8movj4HGMphrpEdES3oBdPsq+y+2tAt6kM/Tw="


def test_nonce_is_six_digits():
    t = Transport("id", KEY, "jop.foxrenderfarm.com", "2")
    nonces = {t.headers("/p", {})["nonce"] for _ in range(200)}
    assert all(len(n) == 6 and n.isdigit() for n in nonces) and len(nonces) > 150
