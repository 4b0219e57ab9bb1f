"""Frame specs: every accepted syntax, the farm's printed form, errors with a caret (hypothesis)."""
import pytest
from hypothesis import given, settings, strategies as st

from rv_dcc.errors import RvDccError
from rv_dcc.scene.frames import MAX_FRAMES, Frames, FrameSpecError, from_range, parse_frames


@pytest.mark.parametrize("spec, expected", [
    ("1-100", list(range(1, 101))),
    ("1-100x2", list(range(1, 101, 2))),
    ("1-100:2", list(range(1, 101, 2))),
    ("1-100X3", list(range(1, 101, 3))),
    ("1,5,10-20", [1, 5] + list(range(10, 21))),
    ("1-10[1]", list(range(1, 11))),
    ("1-10[2],15", [1, 3, 5, 7, 9, 15]),
    ("  1 - 10 [ 3 ] ,  15 ", [1, 4, 7, 10, 15]),
    ("-5--1", [-5, -4, -3, -2, -1]),
    ("-3-2", [-3, -2, -1, 0, 1, 2]),
    ("42", [42]),
    ("+7", [7]),
    ("3,1,2,2", [1, 2, 3]),
    ("0", [0]),
])
def test_accepted_syntaxes(spec, expected):
    assert list(parse_frames(spec).numbers) == expected


@pytest.mark.parametrize("numbers, farm", [
    (range(1, 11), "1-10[1]"),
    ([1, 3, 4], "1,3-4[1]"),
    ([1, 3], "1,3"),
    ([5], "5"),
    (range(1, 100, 2), "1-99[2]"),
    ([1, 2, 4, 6, 8], "1-2[1],4-8[2]"),
    ([-5, -4, -3], "-5--3[1]"),
    ([], ""),
])
def test_to_farm(numbers, farm):
    assert Frames(numbers).to_farm() == farm
    assert str(Frames(numbers)) == farm


def test_frames_api():
    f = from_range(1, 10, 3)
    assert f == Frames.from_range(1, 10, 3) == Frames([1, 4, 7, 10])
    assert len(f) == 4 and list(f) == [1, 4, 7, 10]
    assert 4 in f and 5 not in f and "4" not in f
    assert (f.first, f.middle, f.last) == (1, 4, 10)
    assert Frames(range(1, 101)).middle == 50
    assert [c.numbers for c in Frames(range(1, 8)).chunks(3)] == [(1, 2, 3), (4, 5, 6), (7,)]
    assert hash(f) == hash(Frames([10, 7, 4, 1]))
    with pytest.raises(AttributeError):
        f.foo = 1  # type: ignore[attr-defined]
    with pytest.raises(ValueError):
        Frames().first
    with pytest.raises(ValueError):
        f.chunks(0)
    with pytest.raises(ValueError):
        from_range(10, 1)
    with pytest.raises(ValueError):
        from_range(1, 10, 0)


@pytest.mark.parametrize("spec, position, expected_words", [
    ("", 0, "frame number"),
    ("1,,5", 2, "frame number"),
    ("1-10y2", 4, "step"),
    ("1 5", 2, "','"),
    ("10-1", 3, "before the first"),
    ("1-10x0", 5, "1 or more"),
    ("5x2", 1, "needs a range"),
    ("1-10[2", 6, "']'"),
    ("1-10x2 3", 7, "end of the spec"),
    ("1,", 2, "frame number"),
    ("abc", 0, "frame number"),
    ("1234567890", 0, "digits"),
])
def test_bad_specs_show_where(spec, position, expected_words):
    with pytest.raises(FrameSpecError) as info:
        parse_frames(spec)
    err = info.value
    assert err.spec == spec and err.position == position
    text = str(err)
    assert expected_words in text
    lines = text.splitlines()
    assert lines[1] == "  " + spec
    assert lines[2] == "  " + " " * position + "^"
    assert isinstance(err, ValueError) and isinstance(err, RvDccError) and err.hint


def test_absurd_specs_are_capped():
    with pytest.raises(FrameSpecError, match="at most 1000000 frames"):
        parse_frames("1-2000000")
    with pytest.raises(FrameSpecError, match="at most"):
        parse_frames("1-600000,700000-1400000")
    assert len(parse_frames("1-{}".format(MAX_FRAMES))) == MAX_FRAMES
    with pytest.raises(ValueError):
        Frames.from_range(0, MAX_FRAMES)


frame_sets = st.sets(st.integers(min_value=-2000, max_value=100000), max_size=60)


@given(frame_sets)
def test_farm_syntax_round_trips(numbers):
    frames = Frames(numbers)
    if numbers:
        assert parse_frames(frames.to_farm()) == frames
    assert frames.numbers == tuple(sorted(numbers))


@st.composite
def spec_items(draw):
    """A random item written in a random accepted syntax, with the frames it stands for."""
    start = draw(st.integers(-500, 500))
    kind = draw(st.sampled_from(["single", "range", "x", ":", "[]"]))
    if kind == "single":
        return str(start), {start}
    end = start + draw(st.integers(0, 300))
    step = draw(st.integers(1, 20)) if kind != "range" else 1
    ws = draw(st.sampled_from(["", " ", "  "]))
    text = "{}{}-{}{}".format(start, ws, ws, end)
    if kind == "x":
        text += "x{}".format(step)
    elif kind == ":":
        text += ":{}".format(step)
    elif kind == "[]":
        text += "[{}]".format(step)
    return text, set(range(start, end + 1, step))


@given(st.lists(spec_items(), min_size=1, max_size=8), st.sampled_from([",", ", ", " ,"]))
def test_every_syntax_parses_to_the_right_frames(items, sep):
    spec = sep.join(text for text, _ in items)
    expected = set().union(*(frames for _, frames in items))
    parsed = parse_frames(spec)
    assert set(parsed.numbers) == expected
    assert parse_frames(parsed.to_farm()) == parsed


@settings(max_examples=150)
@given(st.lists(spec_items(), min_size=1, max_size=5), st.data())
def test_a_bad_character_is_pointed_at(items, data):
    spec = ",".join(text for text, _ in items)
    at = data.draw(st.integers(0, len(spec)))
    bad = spec[:at] + "q" + spec[at:]
    with pytest.raises(FrameSpecError) as info:
        parse_frames(bad)
    assert info.value.position == at
    assert str(info.value).splitlines()[2] == "  " + " " * at + "^"
