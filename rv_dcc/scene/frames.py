"""Frame specs: parse every form artists type, normalise, and print in the farm's syntax.

This module owns :class:`Frames` (an immutable, sorted set of frame numbers), the parser
:func:`parse_frames` and :class:`FrameSpecError`. Accepted input (whitespace allowed between
tokens): single frames ``5`` and ``-3``; ranges ``1-100`` and ``-5--1``; stepped ranges
``1-100x2``, ``1-100:2``, ``1-100[2]`` (the farm's form); any of these comma-joined
(``1,5,10-20``). The farm's syntax (``spec/task_files.md``) is ``start-end[step]`` runs and bare
single frames, comma-joined: :meth:`Frames.to_farm`. Pure standard library, cheap to import.
"""
from bisect import bisect_left
from typing import Iterable, Iterator, List, Optional, Tuple

from rv_dcc.errors import RvDccError

#: The largest number of frames a spec may describe; beyond this it is a typo, not a render.
MAX_FRAMES = 1_000_000
#: Frame numbers have at most this many digits (keeps int() cheap and catches pasted junk).
MAX_DIGITS = 9

_SYNTAX_HINT = "Frame specs look like 1-100, 1-100x2, 1-100:2, 1,5,10-20 or 1-10[1]."


class FrameSpecError(RvDccError, ValueError):
    """A frame spec that cannot be parsed.

    ``spec`` is the text as given, ``position`` the 0-based index of the offending character
    (``len(spec)`` when the spec ended too early). ``str()`` shows the spec with a caret under
    that character and says what was expected there.
    """

    default_hint = _SYNTAX_HINT

    def __init__(self, spec: str, position: int, expected: str, show_found: bool = True) -> None:
        self.spec = spec
        self.position = position
        self.expected = expected
        message = "bad frame spec {!r} at position {}: {}".format(spec, position, expected)
        if show_found:
            found = "found {!r}".format(spec[position]) if position < len(spec) else "the spec ended"
            message += ", " + found
        super().__init__(message)

    def __str__(self) -> str:
        # Tabs and newlines would break the caret's alignment: show them as spaces.
        shown = "".join(" " if c in "\t\r\n\f\v" else c for c in self.spec)
        lines = [self.message, "  " + shown, "  " + " " * self.position + "^"]
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)


class Frames:
    """An immutable, sorted set of unique frame numbers.

    Build one with :func:`parse_frames`, :meth:`Frames.from_range` or ``Frames(iterable)``.
    Equal when the numbers are equal; hashable; ``str()`` is the farm syntax.
    """

    __slots__ = ("_numbers",)
    _numbers: Tuple[int, ...]

    def __init__(self, numbers: Iterable[int] = ()) -> None:
        values = sorted({int(n) for n in numbers})
        if len(values) > MAX_FRAMES:
            raise ValueError("{} frames is more than the {} a submission may have".format(len(values), MAX_FRAMES))
        object.__setattr__(self, "_numbers", tuple(values))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Frames is immutable")

    @classmethod
    def from_range(cls, start: int, end: int, step: int = 1) -> "Frames":
        """Frames ``start`` to ``end`` inclusive every ``step`` frames (``end >= start``, ``step >= 1``)."""
        if step < 1:
            raise ValueError("the frame step must be 1 or more, not {}".format(step))
        if end < start:
            raise ValueError("the last frame {} is before the first frame {}".format(end, start))
        count = (end - start) // step + 1
        if count > MAX_FRAMES:
            raise ValueError("{}-{}x{} is {} frames, more than the {} a submission may have".format(
                start, end, step, count, MAX_FRAMES))
        return cls(range(start, end + 1, step))

    @property
    def numbers(self) -> Tuple[int, ...]:
        """The frame numbers, sorted, unique."""
        return self._numbers

    def __len__(self) -> int:
        return len(self._numbers)

    def __iter__(self) -> Iterator[int]:
        return iter(self._numbers)

    def __contains__(self, frame: object) -> bool:
        if not isinstance(frame, int):
            return False
        i = bisect_left(self._numbers, frame)
        return i < len(self._numbers) and self._numbers[i] == frame

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Frames):
            return self._numbers == other._numbers
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._numbers)

    def __repr__(self) -> str:
        return "Frames({!r})".format(self.to_farm())

    def __str__(self) -> str:
        return self.to_farm()

    def _need(self, what: str) -> None:
        if not self._numbers:
            raise ValueError("an empty frame set has no {} frame".format(what))

    @property
    def first(self) -> int:
        """The lowest frame."""
        self._need("first")
        return self._numbers[0]

    @property
    def middle(self) -> int:
        """The middle frame (the lower of the two middle ones when the count is even)."""
        self._need("middle")
        return self._numbers[(len(self._numbers) - 1) // 2]

    @property
    def last(self) -> int:
        """The highest frame."""
        self._need("last")
        return self._numbers[-1]

    def chunks(self, n: int) -> List["Frames"]:
        """Split into consecutive groups of ``n`` frames (frames per machine); the last may be shorter."""
        if n < 1:
            raise ValueError("frames per machine must be 1 or more, not {}".format(n))
        return [Frames(self._numbers[i:i + n]) for i in range(0, len(self._numbers), n)]

    def runs(self) -> List[Tuple[int, int, int]]:
        """The ``(start, end, step)`` runs :meth:`to_farm` prints (a single frame is ``(f, f, 1)``).

        Greedy from the lowest frame: a run continues while the gap stays equal. A run of two
        frames with a gap over 1 is printed as two single frames ("1,3", not "1-3[2]").
        """
        nums = self._numbers
        out: List[Tuple[int, int, int]] = []
        i = 0
        while i < len(nums):
            if i + 1 == len(nums):
                out.append((nums[i], nums[i], 1))
                break
            step = nums[i + 1] - nums[i]
            j = i + 1
            while j + 1 < len(nums) and nums[j + 1] - nums[j] == step:
                j += 1
            if j - i + 1 >= 3 or step == 1:
                out.append((nums[i], nums[j], step))
                i = j + 1
            else:
                out.append((nums[i], nums[i], 1))
                i += 1
        return out

    def to_farm(self) -> str:
        """The farm's syntax: ``start-end[step]`` runs and single frames, comma-joined ("1,3-4[1]")."""
        parts = []
        for start, end, step in self.runs():
            parts.append(str(start) if start == end else "{}-{}[{}]".format(start, end, step))
        return ",".join(parts)


#: Module-level alias so callers can write ``frames.from_range(1, 100)``.
from_range = Frames.from_range


class _Parser:
    """A small hand-written scanner so every error knows its position."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.pos = 0

    def error(self, expected: str, position: Optional[int] = None, show_found: bool = True) -> FrameSpecError:
        return FrameSpecError(self.spec, self.pos if position is None else position, expected, show_found)

    def skip_ws(self) -> None:
        while self.pos < len(self.spec) and self.spec[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        return self.spec[self.pos] if self.pos < len(self.spec) else ""

    def digits(self, expected: str) -> int:
        start = self.pos
        while self.pos < len(self.spec) and self.spec[self.pos] in "0123456789":
            self.pos += 1
        if self.pos == start:
            raise self.error(expected)
        if self.pos - start > MAX_DIGITS:
            raise self.error("expected a number of at most {} digits".format(MAX_DIGITS), start, show_found=False)
        return int(self.spec[start:self.pos])

    def number(self, expected: str = "expected a frame number") -> int:
        sign = 1
        if self.peek() in ("-", "+"):
            sign = -1 if self.peek() == "-" else 1
            self.pos += 1
        return sign * self.digits(expected)

    def step(self) -> Optional[int]:
        """An optional step: ``x2``, ``:2`` or ``[2]``; None when there is none."""
        ch = self.peek()
        if ch not in ("x", "X", ":", "["):
            return None
        self.pos += 1
        self.skip_ws()
        value = self.digits("expected the step (a whole number of 1 or more)")
        if ch == "[":
            self.skip_ws()
            if self.peek() != "]":
                raise self.error("expected ']' to close the step")
            self.pos += 1
        return value


def parse_frames(spec: str) -> Frames:
    """Parse a frame spec in any accepted form (see the module docstring) into :class:`Frames`.

    Raises :class:`FrameSpecError` (a ``ValueError``) showing where the spec went wrong, also
    for reversed ranges, a zero step and specs of more than :data:`MAX_FRAMES` frames.
    """
    if not isinstance(spec, str):
        raise TypeError("a frame spec is text, not {}".format(type(spec).__name__))
    p = _Parser(spec)
    # Syntax first, over the whole spec, so a typo is reported where it is even when an
    # earlier item is also wrong in meaning (reversed, zero step); then the meaning.
    items: List[Tuple[int, int, int, int, int, int]] = []  # start, end, step, item_at, end_at, step_at
    while True:
        p.skip_ws()
        item_at = p.pos
        start = p.number()
        p.skip_ws()
        end, step, end_at, step_at, ranged, stepped = start, 1, item_at, item_at, False, False
        if p.peek() == "-":
            ranged = True
            p.pos += 1
            p.skip_ws()
            end_at = p.pos
            end = p.number("expected the last frame of the range")
            p.skip_ws()
            step_at = p.pos + 1
            found = p.step()
            stepped = found is not None
            step = 1 if found is None else found
        elif p.peek() in ("x", "X", ":", "["):
            raise p.error("expected ',' or '-' (a step needs a range, e.g. {}-{}x2)".format(start, start + 10))
        items.append((start, end, step, item_at, end_at, step_at))
        p.skip_ws()
        if p.pos == len(spec):
            break
        if p.peek() != ",":
            if not ranged:
                raise p.error("expected ',' or '-' after the frame number")
            if not stepped:
                raise p.error("expected ',', a step (x2, :2 or [2]) or the end of the spec")
            raise p.error("expected ',' or the end of the spec")
        p.pos += 1
    total = 0
    for start, end, step, item_at, end_at, step_at in items:
        if end < start:
            raise p.error("expected a last frame not before the first ({}); write {}-{}".format(
                start, end, start), end_at, show_found=False)
        if step < 1:
            while step_at < len(spec) and spec[step_at].isspace():
                step_at += 1
            raise p.error("expected a step of 1 or more", step_at, show_found=False)
        total += (end - start) // step + 1
        if total > MAX_FRAMES:
            raise p.error("at most {} frames in total (this spec describes more)".format(MAX_FRAMES), item_at,
                          show_found=False)
    numbers = set()  # type: set
    for start, end, step, _, _, _ in items:
        numbers.update(range(start, end + 1, step))
    return Frames(numbers)
