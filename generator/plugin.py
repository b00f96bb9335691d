"""Thin MkDocs glue: load, generate, hand the results to MkDocs. No logic of its own.

Kept small on purpose: MkDocs 2 drops plugins, and ProperDocs/Zensical run none, so everything
here must also be reachable through ``werkplekleren build`` (see cli.py).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator import loader, site

log = logging.getLogger("mkdocs.plugins.werkplekleren")


class WerkplekConfig(Config):
    criteria = config_options.Type(str, default="criteria")
    cache_dir = config_options.Type(str, default=str(site.DEFAULT_CACHE_DIR))


class WerkplekPlugin(BasePlugin[WerkplekConfig]):
    def __init__(self) -> None:
        self.build: site.SiteBuild | None = None
        self.preview = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance across rebuilds under `mkdocs serve`.
        self.preview = command == "serve"

    def on_config(self, config: MkDocsConfig, **_: Any) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        try:
            leidraad = loader.load(root / self.config.criteria)
        except loader.LoadError as exc:
            raise PluginError(str(exc)) from None
        notice = site.placeholder_notice(config.site_url)
        if notice and not self.preview:
            # Not a warning: strict mode would refuse every build until the address is known.
            log.info(notice)
        self.build = site.generate(
            leidraad, config.site_url, root / self.config.cache_dir, preview=self.preview
        )
        if not config.nav:
            config.nav = site.nav(self.build, Path(config.docs_dir))
        return config

    def on_files(self, files: Files, config: MkDocsConfig, **_: Any) -> Files:
        assert self.build is not None
        for path, markdown in self.build.pages.items():
            files.append(File.generated(config, path, content=markdown))
        for path, data in self.build.files.items():
            if isinstance(data, Path):
                files.append(File.generated(config, path, abs_src_path=str(data)))
            else:
                files.append(File.generated(config, path, content=data))
        return files
