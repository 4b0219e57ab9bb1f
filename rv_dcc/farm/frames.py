"""The farm's frame syntax: parse ``"1-10[1]"`` / ``"1,3-4[1]"``, pick priority frames, group blocks.

Pure functions used by the embedded farm's task.json validation and its scheduler. A frame range
is ``start-end[step]`` (step optional, default 1), ranges are comma-joined, numbers may be
negative (``"-5--1[1]"``). ``pre_frames`` is three flags first/middle/last plus an optional
custom list after a colon (``"100"``, ``"000:1,3-4[1]"``).

Deliberately independent of the product's parser (``rv_dcc.scene.frames``): the embedded farm is
a test double of the service, so it reads task files the way the service does (spec
task_files.md: only ``start-end[step]`` runs and single frames, comma-joined) and shares no code
with what writes them. The product's parser accepts what artists type (``1-100x2``,
``1-100:2``) and prints the farm's form; were the farm to reuse it, a product bug that wrote an
artist's form (or a wrong expansion) into task.json would be read back by the same code and
pass every test. ``tests/farm/test_farm_frames_oracle.py`` holds the two to the same frames on
the farm's syntax and checks that only the product's parser takes the artist's forms.
"""
import re
from typing import List, Tuple

#: A task may not expand to more frame numbers than this (a typo like 1-99999999 must not hang).
MAX_FRAMES = 200000

_RANGE = re.compile(r"^\s*(-?\d+)\s*(?:-\s*(-?\d+)\s*(?:\[\s*(\d+)\s*\])?)?\s*$")


class FrameSyntaxError(ValueError):
    """A frames string the farm cannot read; the message says what is wrong."""


def parse_frames(text: str) -> List[int]:
    """Frame numbers of a frames string, in order, without duplicates."""
    if not isinstance(text, str) or not text.strip():
        raise FrameSyntaxError("frames is empty; write e.g. \"1-10[1]\" or \"1,3-4[1]\"")
    numbers: List[int] = []
    seen = set()
    for part in text.split(","):
        match = _RANGE.match(part)
        if not match:
            raise FrameSyntaxError(f"cannot read frames {text!r} at {part.strip()!r}; "
                                   "write start-end[step] ranges joined by commas, e.g. \"1-10[1]\"")
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) is not None else start
        step = int(match.group(3)) if match.group(3) else 1
        if step <= 0:
            raise FrameSyntaxError(f"frames {text!r}: step must be at least 1")
        if end < start:
            raise FrameSyntaxError(f"frames {text!r}: range {part.strip()!r} ends before it starts")
        if (end - start) // step + 1 + len(numbers) > MAX_FRAMES:
            raise FrameSyntaxError(f"frames {text!r} expands to more than {MAX_FRAMES} frames")
        for frame in range(start, end + 1, step):
            if frame not in seen:
                seen.add(frame)
                numbers.append(frame)
    return numbers


def parse_pre_frames(text: str) -> Tuple[bool, bool, bool, List[int]]:
    """``(first, middle, last, custom frames)`` of a pre_frames string."""
    text = (text or "000").strip()
    flags, _, custom = text.partition(":")
    if len(flags) != 3 or any(c not in "01" for c in flags):
        raise FrameSyntaxError(f"pre_frames {text!r}: start with three 0/1 flags for first/middle/last, "
                               "e.g. \"100\" or \"000:1,3-4[1]\"")
    return flags[0] == "1", flags[1] == "1", flags[2] == "1", parse_frames(custom) if custom.strip() else []


def priority_frames(frames: List[int], pre_frames: str) -> List[int]:
    """The frames rendered first (frameType 4), in frame order."""
    if not frames:
        return []
    first, middle, last, custom = parse_pre_frames(pre_frames)
    chosen = set(f for f in custom if f in set(frames))
    if first:
        chosen.add(frames[0])
    if middle:
        chosen.add(frames[len(frames) // 2])
    if last:
        chosen.add(frames[-1])
    return [f for f in frames if f in chosen]


def format_block(frames: List[int]) -> str:
    """The farm's text for a block of frame numbers: ``"7"``, ``"2-4[1]"``, or comma-joined runs."""
    if not frames:
        return ""
    if len(frames) == 1:
        return str(frames[0])
    runs: List[str] = []
    start = prev = frames[0]
    step = frames[1] - frames[0] if len(frames) > 1 else 1
    count = 1
    for frame in frames[1:]:
        if frame - prev == step and step > 0:
            prev, count = frame, count + 1
            continue
        runs.append(_run(start, prev, step, count))
        start = prev = frame
        count = 1
    runs.append(_run(start, prev, step, count))
    return ",".join(runs)


def _run(start: int, end: int, step: int, count: int) -> str:
    return str(start) if count == 1 else f"{start}-{end}[{step}]"


def blocks(frames: List[int], per_block: int) -> List[List[int]]:
    """Split frames into consecutive blocks of ``per_block`` (frames_per_task)."""
    per_block = max(1, per_block)
    return [frames[i:i + per_block] for i in range(0, len(frames), per_block)]
