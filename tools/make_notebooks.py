"""Write notebooks 01 and 02 from the cell lists below (run once; the .ipynb files are what is committed)."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NB = Path(__file__).resolve().parents[1] / "notebooks"


def notebook(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}  # as JupyterLab saves it
    # no language_info: the kernel rewrites it on every save, and the git filter strips it (make git-filter)
    for kind, src in cells:
        if kind == "md":
            nb.cells.append(new_markdown_cell(src.strip()))
        else:
            cell = new_code_cell(src.strip())
            if kind == "params":
                cell.metadata["tags"] = ["parameters"]
            elif kind == "hide":  # collapsed in JupyterLab: the outputs speak, the code is a click away
                cell.metadata["jupyter"] = {"source_hidden": True}
            nb.cells.append(cell)
    for i, cell in enumerate(nb.cells):
        cell["id"] = str(i)  # the ids nbstripout would give
    return nb


def write(name: str, cells: list[tuple[str, str]]) -> None:
    path = NB / name
    nbformat.write(notebook(cells), path)
    print("wrote", path)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import notebook_cells

    write("01-inventory.ipynb", notebook_cells.NB01)
    write("02-plan-and-progress.ipynb", notebook_cells.NB02)
