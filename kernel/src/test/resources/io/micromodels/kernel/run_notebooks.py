"""Executes notebooks top to bottom with nbclient on their own kernel and prints what came out as JSON.

Run by NotebooksTest: python3 run_notebooks.py OUT_DIR NOTEBOOK... (JUPYTER_DATA_DIR points at the kernelspec).
Errors do not stop a notebook here (allow_errors) so that every error cell is reported; the Java test fails on any.
The executed copies are written to OUT_DIR, never over the originals.
"""
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient


def main():
    out_dir = sys.argv[1]
    report = {}
    for path in sys.argv[2:]:
        nb = nbformat.read(path, as_version=4)
        kernel = nb.metadata.get("kernelspec", {}).get("name", "")
        started = time.time()
        client = NotebookClient(nb, timeout=600, kernel_name=kernel, allow_errors=True,
                                resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
        client.execute()
        seconds = time.time() - started
        errors, mimes, html, code_cells, executed = [], {}, [], 0, 0
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            code_cells += 1
            if cell.get("execution_count") is not None:
                executed += 1
            for out in cell.outputs:
                if out.output_type == "error":
                    errors.append({"cell": i, "ename": out.ename, "evalue": out.evalue})
                for mime, value in out.get("data", {}).items():
                    mimes[mime] = mimes.get(mime, 0) + 1
                    if mime == "text/html":
                        html.append(value)
        nbformat.write(nb, os.path.join(out_dir, os.path.basename(path)))
        report[os.path.basename(path)] = {"kernel": kernel, "seconds": seconds, "errors": errors, "mimes": mimes,
                                          "html": html, "code_cells": code_cells, "executed": executed}
    print("NOTEBOOKS " + json.dumps(report))


if __name__ == "__main__":
    main()
