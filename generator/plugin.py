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

from generator import loader, site, stylesheets

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
        if not self.preview:
            # Not warnings: strict mode would refuse every build until they are settled.
            for message in site.pending(leidraad, config.site_url):
                log.info(message)
        config.extra["werkplekleren"] = site.theme_extra(leidraad)
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
        # Our stylesheets without their comments, as copy_overrides stages them for Zensical.
        if config.theme.custom_dir:
            overrides = Path(config.theme.custom_dir)
            for file in list(files):
                source = Path(file.abs_src_path or "")
                if file.abs_src_path and stylesheets.is_ours(source, overrides):
                    files.remove(file)
                    css = stylesheets.compact(source.read_text(encoding="utf-8"))
                    files.append(File.generated(config, file.src_uri, content=css))
        return files
