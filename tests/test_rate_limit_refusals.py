"""Our adapters against the simulator's rate limits, lowered to be met: a refusal the platform says
how long to wait out (Lazada's "retry in the next second") is waited out briefly; any other becomes a
retryable refusal, for the job to try again later, nothing lost. Clocks are injected: nothing waits."""

import pytest
from connectors.errors import ChannelError
from connectors.lazada.adapter import LazadaAdapter
from connectors.shopee.adapter import ShopeeAdapter
from connectors.tiki.adapter import TikiAdapter
from connectors.tiktok.adapter import TiktokAdapter

DAY = 24 * 3600


class Clock:
    """The platform's and the adapter's clock; a wait moves it on."""

    def __init__(self, start):
        self.now, self.waits = float(start), []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.waits.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(simulator):
    clock = Clock(simulator.shop.now)
    for api in (simulator.shopee, simulator.lazada, simulator.tiktok, simulator.tiki):
        api.clock = clock
    return clock


def test_lazada_api_limit_is_waited_out_as_lazada_asks(simulator, clock):
    api = simulator.lazada
    tokens = api.token_create({"code": api.authorize()})
    tokens["expires_at"] = clock() + tokens["expires_in"]
    adapter = LazadaAdapter(f"{simulator.url}/lazada/rest", api.app_key, api.app_secret, None, tokens,
                            [].append, clock=clock, sleep=clock.sleep)  # fmt: skip
    api.set_limit("api", 1)
    assert adapter.test_connection() == adapter.test_connection()
    assert clock.waits == [1.0], "901: retry in the next second"
    api.set_limit("api", 50)
    api.set_limit("app", 1, DAY)
    adapter.test_connection()
    with pytest.raises(ChannelError) as refusal:
        adapter.test_connection()
    assert refusal.value.retryable and refusal.value.code == "ApiCallLimit"
    assert clock.waits == [1.0], "the app's day is not waited out"


def test_shopee_limit_defers_to_the_job(simulator, clock):
    api = simulator.shopee
    tokens = api.token_get({}, {"code": api.authorize()})
    adapter = ShopeeAdapter(f"{simulator.url}/shopee", api.partner_id, api.partner_key, api.shop_id, tokens,
                            [].append, clock=clock, sleep=clock.sleep)  # fmt: skip
    api.set_limit("api", 1)
    adapter.test_connection()
    with pytest.raises(ChannelError) as refusal:
        adapter.test_connection()
    assert refusal.value.retryable and "error_server" in str(refusal.value) and not clock.waits
    clock.now += 1
    assert adapter.test_connection(), "the next second, the call goes through"


def test_tiktok_limit_defers_to_the_job(simulator, clock):
    api = simulator.tiktok
    tokens = api._token("/api/v2/token/get", {"app_key": api.app_key, "app_secret": api.app_secret,
                                              "auth_code": api.authorize()})  # fmt: skip
    adapter = TiktokAdapter(f"{simulator.url}/tiktok", api.app_key, api.app_secret, api.cipher, tokens,
                            [].append, clock=clock, sleep=clock.sleep)  # fmt: skip
    api.set_limit("api", 1)
    adapter.fetch_listings()
    with pytest.raises(ChannelError) as refusal:
        adapter.fetch_listings()
    assert refusal.value.retryable and not clock.waits


def test_tiki_limit_defers_to_the_job(simulator, clock):
    api = simulator.tiki
    adapter = TikiAdapter(f"{simulator.url}/tiki", api.app_id, api.app_secret, None, {}, [].append,
                          clock=clock, sleep=clock.sleep)  # fmt: skip
    adapter.test_connection()
    api.set_limit("shop", 1)
    adapter.test_connection()
    with pytest.raises(ChannelError) as refusal:
        adapter.test_connection()
    assert refusal.value.retryable and not clock.waits
