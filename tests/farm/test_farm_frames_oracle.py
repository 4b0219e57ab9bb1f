"""The embedded farm's frame parser (a test double of the service) agrees with the product's on the
farm's syntax and refuses the artist's forms the product accepts on input (see rv_dcc.farm.frames)."""
import random

import pytest

from rv_dcc.farm.frames import FrameSyntaxError
from rv_dcc.farm.frames import parse_frames as farm_parse
from rv_dcc.scene.frames import Frames
from rv_dcc.scene.frames import parse_frames as product_parse


def test_what_the_product_writes_the_farm_reads_as_the_same_frames():
    rng = random.Random(17)
    for _ in range(300):
        numbers = {rng.randint(-50, 400) for _ in range(rng.randint(1, 40))}
        start, step = rng.randint(-20, 100), rng.randint(1, 7)
        numbers.update(range(start, start + step * rng.randint(0, 30), step))  # runs with a step too
        written = Frames(numbers).to_farm()
        assert farm_parse(written) == sorted(numbers), written


@pytest.mark.parametrize("artist", ["1-100x2", "1-100:2", "1-10 x 2"])
def test_only_the_product_takes_the_artists_forms(artist):
    assert len(product_parse(artist)) > 0
    with pytest.raises(FrameSyntaxError):
        farm_parse(artist)
