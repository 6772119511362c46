"""The committed reference of the results: written from a clean build, read back to compare.

``reference/`` holds, in plain text that reads in a diff:

* ``files.sha256``: the sha256 of every output of a build, in the format of
  ``sha256sum`` (``sha256sum -c reference/files.sha256`` checks a build in place);
* ``values.tsv``: every value of the runs' key numbers and CSV tables, of the
  paper's tables and of its numbers of the text, one per line
  (``file<TAB>item<TAB>value``);
* ``figures/<notebook>/<figure>.txt``: the signature of each figure
  (:mod:`analysis.replication.pixels`);
* ``paper.txt``: the text of the HTML paper, one block per line;
* ``environment.tsv``: the software that built the reference (the paper's build table);
* ``README.md``: what these are, how they were made, and the tolerances.

Nothing here names the machine, the commit or the command line. The folder is
replaced whole (:func:`analysis.build.staging.publish`), so a reader sees the
old reference or the new one, never half of each.
"""

from __future__ import annotations

from pathlib import Path

from ..atomic import write_text
from ..errors import AnalysisError
from ..paths import ProjectPaths
from ..build.staging import fresh, publish
from .pixels import Signature
from .results import Results

FOLDER = "reference"
FILES, VALUES, FIGURES, TEXT, ENVIRONMENT, README = (
    "files.sha256", "values.tsv", "figures", "paper.txt", "environment.tsv", "README.md")
_VALUES_HEADER = "file\titem\tvalue"


def reference_folder(paths: ProjectPaths) -> Path:
    """The folder of the committed reference, ``reference/`` at the project's root."""
    return paths.root / FOLDER


def _figure_file(png: str) -> str:
    # results/runs/<notebook>/<run id>/figures/<name>.png -> figures/<notebook>/<name>.txt
    parts = png.split("/")
    return f"{FIGURES}/{parts[2]}/{Path(parts[-1]).stem}.txt"


def _figure_text(png: str, sig: Signature) -> str:
    return "\n".join([
        f"file: {png}",
        f"size: {sig.width} x {sig.height}",
        f"pixels-sha256: {sig.pixels_sha256}",
        f"grid: {len(sig.grid)} x {len(sig.grid[0])} cells, mean grey level of each (00 black, ff white):",
        *sig.grid_lines()]) + "\n"


def _read_figure(text: str) -> tuple[str, Signature]:
    lines = text.splitlines()
    fields = dict(line.split(": ", 1) for line in lines[:3])
    width, height = (int(v) for v in fields["size"].split(" x "))
    return fields["file"], Signature(width=width, height=height, pixels_sha256=fields["pixels-sha256"],
                                     grid=Signature.grid_from_lines(lines[4:]))


def reference_texts(results: Results, readme: str) -> dict[str, str]:
    """The files of a reference of ``results``: ``{path inside reference/: text}``."""
    files = "".join(f"{digest}  {path}\n" for path, digest in sorted(results.files.items()))
    values = [_VALUES_HEADER] + [f"{source}\t{item}\t{value}" for source in sorted(results.values)
                                 for item, value in results.values[source].items()]
    texts = {FILES: files, VALUES: "\n".join(values) + "\n", TEXT: "\n".join(results.text) + "\n",
             ENVIRONMENT: "".join(f"{k}\t{v}\n" for k, v in results.environment.items()), README: readme}
    for png, sig in sorted(results.figures.items()):
        texts[_figure_file(png)] = _figure_text(png, sig)
    return texts


def write_reference(paths: ProjectPaths, results: Results, readme: str) -> Path:
    """Replace ``reference/`` with the reference of ``results`` (whole or not at all); return the folder."""
    folder = reference_folder(paths)
    staging = fresh(paths.staging / "reference")
    for name, text in reference_texts(results, readme).items():
        write_text(staging / "reference" / name, text)
    publish(staging, {"reference": folder})
    return folder


def read_reference(paths: ProjectPaths) -> Results:
    """The committed reference, as :class:`Results`; an :class:`AnalysisError` if there is none."""
    folder = reference_folder(paths)
    if not (folder / FILES).is_file():
        raise AnalysisError(f"no reference in {FOLDER}/: it is written by `python -m analysis reference` "
                            "from a clean build and committed; check out a version of the compendium "
                            "that has one")
    results = Results()
    try:
        for line in (folder / FILES).read_text(encoding="utf-8").splitlines():
            digest, path = line.split("  ", 1)
            results.files[path] = digest
        lines = (folder / VALUES).read_text(encoding="utf-8").splitlines()
        for line in lines[1:]:
            source, item, value = line.split("\t", 2)
            results.values.setdefault(source, {})[item] = value
        for path in sorted((folder / FIGURES).rglob("*.txt")):
            png, sig = _read_figure(path.read_text(encoding="utf-8"))
            results.figures[png] = sig
        results.text = (folder / TEXT).read_text(encoding="utf-8").splitlines()
        for line in (folder / ENVIRONMENT).read_text(encoding="utf-8").splitlines():
            key, value = line.split("\t", 1)
            results.environment[key] = value
    except (OSError, ValueError, KeyError, IndexError) as exc:
        raise AnalysisError(f"the reference in {FOLDER}/ cannot be read ({exc}); restore it with "
                            f"`git checkout {FOLDER}` or write it again with `python -m analysis "
                            "reference`") from None
    return results
