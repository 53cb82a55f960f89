"""Ente Auth plain export: otpauth URIs, one per line, with a ``codeDisplay`` JSON parameter (tags → groups)."""

from __future__ import annotations

from pathlib import Path

from mfakit.importers.record import Collector, ImportResult
from mfakit.importers.uri_list import parse_lines


def looks_like(text: str) -> bool:
    return "otpauth://" in text and "codeDisplay=" in text


def parse_ente(text: str, path: Path, col: Collector, result: ImportResult) -> str:
    return parse_lines(text, path, col, result, fmt="ente")
