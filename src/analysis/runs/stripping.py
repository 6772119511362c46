"""What a tracked notebook holds: its cells' source, tags and ids, and nothing a run or the Lab adds.

One definition, used three ways: by JupyterLab's pre-save hook
(:mod:`analysis.lab.save_hook`), by the git filter that ``python -m analysis lab``
installs (:func:`filter_command`), and by
``make lint`` (``python -m analysis.runs.stripping --verify notebooks/*.ipynb``).

Stripped: outputs, execution counts, and the metadata that depend on the machine
or the session (``language_info``, which holds the Python version; cell timings;
widget state). The kernelspec is set to :data:`KERNELSPEC`, what JupyterLab
writes for this environment's kernel, so that opening a notebook changes nothing.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

#: Metadata that nbstripout removes beyond its defaults (dotted paths; ``metadata`` is the notebook's).
EXTRA_KEYS = ("metadata.language_info", "metadata.papermill", "cell.metadata.papermill",
              "cell.metadata.execution")
#: The kernelspec of every tracked notebook: the environment's IPython kernel, as JupyterLab names it.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def strip_notebook(nb: dict) -> dict:
    """A copy of notebook ``nb`` (nbformat 4, as JSON data) as it is tracked: see the module's doc."""
    import nbformat
    from nbstripout import strip_output

    node = nbformat.from_dict(copy.deepcopy(nb))
    node = strip_output(node, keep_output=False, keep_count=False, keep_id=True,
                        extra_keys=list(EXTRA_KEYS))
    node.metadata["kernelspec"] = dict(KERNELSPEC)
    return json.loads(json.dumps(node))


def notebook_text(nb: dict) -> str:
    """``nb`` serialised as nbformat writes it (indent 1, sorted keys, a final newline)."""
    import nbformat

    return nbformat.writes(nbformat.from_dict(nb)) + "\n"


def filter_command(python: str = sys.executable) -> str:
    """The git ``clean`` filter that strips a notebook as :func:`strip_notebook` does (nbstripout)."""
    return f'"{python}" -m analysis.runs.stripping --filter'


def unclean(path: Path) -> bool:
    """True when the notebook at ``path`` is not saved as it is tracked."""
    text = path.read_text(encoding="utf-8")
    return notebook_text(strip_notebook(json.loads(text))) != text


def main(argv: list[str] | None = None) -> int:
    """``--verify FILES``: exit 1 naming each notebook not saved stripped; ``--filter``: stdin to stdout."""
    parser = argparse.ArgumentParser(prog="python -m analysis.runs.stripping", description=__doc__)
    parser.add_argument("--verify", action="store_true", help="check the files, write nothing")
    parser.add_argument("--filter", action="store_true", help="strip the notebook on stdin to stdout "
                                                              "(git's clean filter)")
    parser.add_argument("files", nargs="*", type=Path, help="notebooks to check (with --verify) or strip")
    args = parser.parse_args(argv)
    if args.filter:
        sys.stdout.write(notebook_text(strip_notebook(json.loads(sys.stdin.read()))))
        return 0
    bad = [f for f in args.files if unclean(f)]
    if args.verify:
        for f in bad:
            print(f"{f}: saved with outputs or session metadata; run: python -m analysis.runs.stripping {f}",
                  file=sys.stderr)
        return 1 if bad else 0
    for f in bad:
        stripped = strip_notebook(json.loads(f.read_text(encoding="utf-8")))
        f.write_text(notebook_text(stripped), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
