"""Property-based tests of the share-link codec (issue 7, point 4), run in the real browser.

The codec is the one in checklist.js, called through ``page.evaluate``: encode then decode gives
back the same statuses for any list of criterion IDs and any statuses, and any other string is
either refused with a Dutch message or decodes to known IDs and statuses only.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

STATUSES = ["", "in-orde", "deels", "nog-niet", "nvt"]
SLUGS = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)
# The page is reused across examples on purpose: the codec is pure and a page load per example
# would cost more than the whole run.
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ROUND_TRIP = """([ids, statuses]) => {
  const code = window.wplChecklist.encode(ids, statuses);
  return [code, window.wplChecklist.decode(ids, code)];
}"""
DECODE = """([ids, code]) => {
  try { return ["ok", window.wplChecklist.decode(ids, code)]; }
  catch (e) { return [e.constructor.name, e.message]; }
}"""


def open_codec(page: Any, server: str) -> list[str]:
    page.goto(server + "vormen/stage/checklist/")
    page.wait_for_selector(".wpl-cl-tools:not([hidden])")
    return list(page.eval_on_selector("[data-module=checklist]", "e => e.dataset.ids.split(' ')"))


@SETTINGS
@given(data=st.data())
def test_encode_then_decode_gives_the_same_statuses(page: Any, server: str, data: Any) -> None:
    if not hasattr(page, "codec_ids"):
        page.codec_ids = open_codec(page, server)
    ids = data.draw(
        st.one_of(st.just(page.codec_ids), st.lists(SLUGS, unique=True, max_size=90)), label="ids"
    )
    statuses = {i: data.draw(st.sampled_from(STATUSES), label=i) for i in ids}
    code, decoded = page.evaluate(ROUND_TRIP, [ids, statuses])
    assert decoded == {k: v for k, v in statuses.items() if v}
    assert len(code) <= 3 + 7 + (len(ids) + 1) // 2  # "1." + hash + "." + one char per two
    assert set(code) <= set("0123456789abcdefghijklmnopqrstuvwxyz.")
    assert page.js_errors == []


@SETTINGS
@given(code=st.one_of(st.text(max_size=60), st.from_regex(r"1\.[0-9a-z]{1,8}\.[0-9a-o]{0,40}")))
def test_any_other_link_is_refused_or_stays_within_known_statuses(
    page: Any, server: str, code: str
) -> None:
    if not hasattr(page, "codec_ids"):
        page.codec_ids = open_codec(page, server)
    ids = page.codec_ids
    kind, result = page.evaluate(DECODE, [ids, code])
    if kind == "ok":
        assert set(result) <= set(ids)
        assert set(result.values()) <= set(STATUSES[1:])
    else:
        assert kind == "Error"
        assert result.startswith("Deze deellink")
    assert page.js_errors == []


PREFIX = "ids => window.wplChecklist.encode(ids, {})"  # "1.<hash>." with no statuses


def test_a_link_with_the_right_hash_and_bad_data_is_refused(page: Any, server: str) -> None:
    """The hash only says which checklist a link is for; the data after it must still fit that
    checklist: never longer than its criteria, only letters of the alphabet, no status for a
    criterion past the last one (which would come back as {"undefined": ...})."""
    ids = open_codec(page, server)
    assert len(ids) % 2 == 1, "the stage checklist has an odd number of criteria"
    prefix = page.evaluate(PREFIX, ids)
    assert prefix.startswith("1.") and prefix.endswith(".")
    full = (len(ids) + 1) // 2  # characters for every criterion
    bad = [
        "5" * (full + 1),  # one character too many (its first status would go to no criterion)
        "0" * full + "5",
        "p",  # past the alphabet "0-9a-o"
        "z" * 3,
        "A",
        "-1",
        "0" * (full - 1) + "1",  # the last character's second status: a criterion that is not there
    ]
    for data in bad:
        kind, result = page.evaluate(DECODE, [ids, prefix + data])
        assert (kind, result[:len("Deze deellink")]) == ("Error", "Deze deellink"), (data, result)
    # The same checks let a complete, valid link through.
    kind, result = page.evaluate(DECODE, [ids, prefix + "5" * (full - 1) + "5"])
    assert kind == "ok" and result == {i: "in-orde" for i in ids[::2]}
    assert page.js_errors == []


@SETTINGS
@given(data=st.text(alphabet="0123456789abcdefghijklmnopqrstuvwxyzA.-", max_size=40))
def test_any_data_behind_the_right_hash_is_refused_or_stays_within_known_statuses(
    page: Any, server: str, data: str
) -> None:
    if not hasattr(page, "codec_ids"):
        page.codec_ids = open_codec(page, server)
    ids = page.codec_ids[:7]  # a short checklist, so that data often runs past its end
    kind, result = page.evaluate(DECODE, [ids, page.evaluate(PREFIX, ids) + data])
    if kind == "ok":
        assert set(result) <= set(ids)
        assert set(result.values()) <= set(STATUSES[1:])
    else:
        assert (kind, result[:len("Deze deellink")]) == ("Error", "Deze deellink")
    assert page.js_errors == []
