"""The harness itself, on scratch notebooks: Run All, idle detection, error detection, HTML and widgets.

These prove the fixtures and the JupyterLab driver before any project notebook is trusted to them: a
collapsible ``details`` output really toggles, an ipywidgets Button renders and its callback reaches the
kernel (the widget manager works with the installed JupyterLab), the kernel sees the inventory copy, and a
failing cell is reported as an error.
"""

from __future__ import annotations

import nbformat
import pytest

from e2e_config import SCREENSHOTS, Lab
from e2e_lab import error_outputs, open_notebook, run_all, run_notebook, wait_until_done

pytestmark = pytest.mark.e2e

DETAILS_HTML = ('<details class="mfakit-group" open><summary>Group A</summary>'
                '<table class="scratch"><tr><td>row a1</td></tr></table></details>')


def _write(lab: Lab, name: str, cells: list[nbformat.NotebookNode]) -> str:
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, lab.root / name)
    return name


def test_e2e_scratch_notebook_html_and_widget(lab: Lab, page, fresh_inventory) -> None:  # type: ignore[no-untyped-def]
    name = _write(lab, "_scratch.ipynb", [
        nbformat.v4.new_markdown_cell("# Scratch notebook"),
        nbformat.v4.new_code_cell(f"from IPython.display import HTML, display\ndisplay(HTML({DETAILS_HTML!r}))"),
        nbformat.v4.new_code_cell(
            "import ipywidgets as w\nout = w.Output()\nbtn = w.Button(description='Press me')\n"
            "def on(_):\n    with out:\n        print('pressed in kernel')\n"
            "btn.on_click(on)\nw.VBox([btn, out])"),
        nbformat.v4.new_code_cell("import os\nprint('INVENTORY=' + os.environ['MFAKIT_INVENTORY'])"),
    ])
    run_notebook(page, lab.base_url, lab.token, name)

    assert page.locator(".jp-MarkdownOutput h1", has_text="Scratch notebook").is_visible()
    group = page.locator("details.mfakit-group")
    table = group.locator("table.scratch")
    assert group.get_attribute("open") is not None and table.is_visible()
    group.locator("summary").click()
    assert group.get_attribute("open") is None
    assert not table.is_visible()
    group.locator("summary").click()
    assert group.get_attribute("open") is not None and table.is_visible()

    page.locator("button.widget-button", has_text="Press me").click()
    page.locator(".widget-output", has_text="pressed in kernel").wait_for()

    assert page.locator(".jp-OutputArea-output", has_text=f"INVENTORY={fresh_inventory}").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "_scratch.png"))


def test_e2e_failing_cell_is_reported(lab: Lab, page) -> None:  # type: ignore[no-untyped-def]
    name = _write(lab, "_failing.ipynb", [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise ValueError('boom from the scratch notebook')"),
        nbformat.v4.new_code_cell("y = 2"),
    ])
    open_notebook(page, lab.base_url, lab.token, name)
    run_all(page)
    page.locator(".jp-OutputArea-output", has_text="boom from the scratch notebook").wait_for()
    wait_until_done(page, 60)
    errors = error_outputs(page)
    assert len(errors) == 1 and "ValueError" in errors[0]
    with pytest.raises(AssertionError, match="ValueError"):
        run_notebook(page, lab.base_url, lab.token, name)
