"""pyld's context caches are shared by every thread of a process: they must survive concurrent use."""

import sys
import threading

from cachetools import LRUCache
from pyld import jsonld

from agnitio.credentials.signing import loader


def _hammer(cache, *, threads: int = 16, rounds: int = 20000) -> list[BaseException]:
    """What pyld does with a cache: look a key up, and store it when it is missing (evicting others)."""
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for i in range(rounds):
                key = f"ctx-{(i * 7 + offset) % 64}"
                if cache.get(key) is None:
                    cache[key] = i
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


def test_pyld_uses_the_locked_caches():
    assert isinstance(jsonld._resolved_context_cache, loader.LockedLRUCache)
    assert isinstance(jsonld._inverse_context_cache, loader.LockedLRUCache)


def test_the_locked_cache_survives_concurrent_lookups_and_evictions():
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to make a race likely
    try:
        for _attempt in range(3):
            assert _hammer(loader.LockedLRUCache(maxsize=20)) == []
    finally:
        sys.setswitchinterval(interval)


def test_the_unlocked_cache_is_what_failed():
    """The reason for the lock: the plain cachetools cache raises KeyError under the same load (if this ever
    stops failing, cachetools became thread-safe and the lock may go)."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        errors: list[BaseException] = []
        for _attempt in range(20):
            errors = _hammer(LRUCache(maxsize=20))
            if errors:
                break
    finally:
        sys.setswitchinterval(interval)
    assert any(isinstance(error, KeyError) for error in errors)


def test_each_resolved_context_keeps_its_processed_contexts_in_a_locked_cache():
    from pyld.resolved_context import ResolvedContext

    assert isinstance(ResolvedContext({}).cache, loader.LockedLRUCache)


def test_sixteen_threads_canonicalise_shared_contexts_at_once():
    """What failed in CI (`KeyError` for a context's `_uuid`, 16 parallel issuers): every operation starts from a
    new active context, so the small per-context caches of the shared, static contexts evict all the time. Real
    documents through `canonize`, 16 threads, threads switched as often as possible."""
    import json
    from pathlib import Path

    data = Path(__file__).parent / "data" / "vc-di-eddsa"
    documents = [json.loads(data.joinpath(name).read_text()) for name in (
        "eddsa-rdfc-2022_signedDataInt.json", "Ed25519Signature2020_signedEdSig.json",
        "proof-set-chain_signedProofSet2.json")]
    expected = [loader.canonize(document) for document in documents]
    errors: list[str] = []

    def work(offset: int) -> None:
        try:
            for i in range(12):
                n = (i + offset) % len(documents)
                assert loader.canonize(documents[n]) == expected[n]
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(error))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        workers = [threading.Thread(target=work, args=(n,)) for n in range(16)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
