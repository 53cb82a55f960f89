"""Exports of the status table and plan: CSV, Markdown, HTML, XLSX and JSON with the same columns."""

from mfakit.export.columns import COLUMNS, HEADERS, records, to_frame
from mfakit.export.writers import FORMATS, default_export_dir, export_rows, format_from_path, render

__all__ = ["COLUMNS", "FORMATS", "HEADERS", "default_export_dir", "export_rows", "format_from_path", "records",
           "render", "to_frame"]
