"""One rule for the TASK argument of every command: the forms an artist may paste.

The panel shows a task as its alias (``2W19002``), the farm's web page and the CLI as its number
(``19002``), chat messages as ``#19002``; copied text brings spaces along (`` 2W 19002 ``). All
of these name task 19002. :func:`task_id` is the argparse ``type`` that reads them; anything else
is a usage error (exit 2) that says which form is expected. Not a subcommand.
"""
import argparse
import re

#: an optional ``#``, an optional alias prefix (a platform digit and a letter: ``2W``), the number.
#: Strict on purpose: a scene name such as ``shot010`` must not be read as task 10.
_FORM = re.compile(r"#?(?:[0-9][A-Za-z])?([0-9]{1,18})")

#: the forms accepted, named in every refusal
EXPECTED = "a task id such as 19002, or the alias the panel shows such as 2W19002"


def parse_task_id(text: object) -> int:
    """The task number ``text`` names (``2W19002``, ``19002``, ``#19002``, spaces anywhere).

    Raises :class:`argparse.ArgumentTypeError` (argparse turns it into a usage error, exit 2)
    for anything else, naming the form expected.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        number = text
    else:
        compact = "".join(str(text).split())
        match = _FORM.fullmatch(compact)
        if match is None:
            shown = str(text)[:40]
            raise argparse.ArgumentTypeError(f"{shown!r} is not a task id: give {EXPECTED}")
        number = int(match.group(1))
    if number <= 0:
        raise argparse.ArgumentTypeError(f"{str(text)[:40]!r} is not a task id (task ids start at 1): give {EXPECTED}")
    return number


#: argparse shows the type's __name__ when the error is not an ArgumentTypeError; keep it readable
parse_task_id.__name__ = "task id"


def add_task_argument(parser: argparse.ArgumentParser, help_text: str = "task id (19002) or alias (2W19002)",
                      **kwargs: object) -> None:
    """Add the positional ``task_id`` argument, read with :func:`parse_task_id`."""
    parser.add_argument("task_id", type=parse_task_id, metavar="TASK", help=help_text, **kwargs)  # type: ignore[arg-type]
