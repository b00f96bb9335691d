"""Placeholder: filled in by its own issue."""

from __future__ import annotations

from generator.site import SiteBuild


def contribute(build: SiteBuild) -> None:
    """Add this step's pages and files to the build."""
