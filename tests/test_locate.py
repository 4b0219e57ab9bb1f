"""rv_dcc.locate finds the data folders of a checkout (and of a wheel, where they move inside the package)."""
from rv_dcc.locate import resource_dir


def test_checkout_resources_are_found():
    samples = resource_dir("samples")
    assert samples is not None and (samples / "blender.json").is_file()
    assert resource_dir("blender") is not None
    assert resource_dir("no-such-folder") is None
