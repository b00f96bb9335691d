"""The two engines that turn the generated pages into the site: MkDocs + Material and Zensical.

MkDocs with Material is the default. Material reaches its end of life on 2027-05-05 and MkDocs 2
drops plugins; Zensical, by Material's authors, reads ``mkdocs.yml`` and Material's templates
but runs no third-party plugin. So for Zensical nothing comes from our plugin: the generator
writes its output (``site.write``) into a project directory beside the hand-written pages, and
the Zensical config is *derived* from ``mkdocs.yml``: the same settings, our plugin dropped, the
generated navigation added. Nothing is written by hand twice.

The project directory (``.cache/zensical`` by default) is kept between builds because Zensical
keeps its own cache there (``.cache/`` inside it): a rebuild with nothing changed reuses it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from generator import site, stylesheets

ENGINES = ("mkdocs", "zensical")
#: The engine ``werkplekleren site`` (and so ``make site``) uses unless told otherwise with
#: ``--engine`` or the ENGINE environment variable. Change it here when Material's end of life
#: comes (README, "Engines").
DEFAULT_ENGINE = "mkdocs"
#: Our MkDocs plugin, by its entry-point name in mkdocs.yml.
PLUGIN = "werkplekleren"
#: Where the Zensical project lives, relative to the directory of mkdocs.yml.
DEFAULT_WORK_DIR = Path(".cache/zensical")

#: Overrides in ``site_overrides/`` that only the MkDocs build uses, with the reason. Everything
#: else in that directory works on both engines.
MKDOCS_ONLY_OVERRIDES = {
    "partials/search.html": (
        "Material's search dialog with the dialog name it lacks; Zensical has a search of its "
        "own with other markup (a button that opens it), and its dialog already has a name"
    ),
}


class EngineError(Exception):
    """A build with an engine failed; the message says why (in Dutch, for the command line)."""


def engine_from_env() -> str:
    """The engine named by the ENGINE environment variable, or the default."""
    return os.environ.get("ENGINE") or DEFAULT_ENGINE


# -- mkdocs.yml as data ------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """YAML with MkDocs' ``!ENV`` tag (``!ENV NAME`` or ``!ENV [NAME, ..., default]``)."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        items = [loader.construct_object(child) for child in node.value]
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    else:
        raise yaml.constructor.ConstructorError(
            None, None, "!ENV takes a name or a list of names and a default", node.start_mark
        )
    for name in names:
        if str(name) in os.environ:
            value = os.environ[str(name)]
            # Like MkDocs: the value is typed by YAML's implicit rules ("true" is a boolean).
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


_Loader.add_constructor("!ENV", _env)


def read_config(path: Path) -> dict[str, Any]:
    """``mkdocs.yml`` as plain data, ``!ENV`` resolved the way MkDocs resolves it."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # a SafeLoader subclass
    except (OSError, yaml.YAMLError) as exc:
        raise EngineError(f"{path}: kan de configuratie niet lezen: {exc}") from None
    if not isinstance(data, dict):
        raise EngineError(f"{path}: de configuratie is geen mapping")
    if "INHERIT" in data:
        raise EngineError(f"{path}: INHERIT wordt niet ondersteund bij het afleiden")
    return data


def _plugin_items(config: dict[str, Any]) -> list[tuple[str, Any]]:
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        return list(plugins.items())
    items: list[tuple[str, Any]] = []
    for item in plugins:
        if isinstance(item, str):
            items.append((item, None))
        else:
            ((name, options),) = item.items()
            items.append((name, options))
    return items


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    """The options of our plugin in mkdocs.yml (criteria, cache_dir)."""
    for name, options in _plugin_items(config):
        if name == PLUGIN:
            return dict(options or {})
    raise EngineError(f"mkdocs.yml gebruikt de plugin {PLUGIN} niet")


def derive_config(
    config: dict[str, Any],
    nav: list[site.NavItem],
    *,
    docs_dir: str,
    site_dir: str,
    custom_dir: str,
) -> dict[str, Any]:
    """The config for a build of the generated pages without our plugin.

    Everything comes from ``mkdocs.yml`` except what the plugin did (it is dropped, and the
    navigation it would add is given) and the paths of the staged project. ``watch`` is left out:
    it names the repository's folders, and such a build is not served.
    """
    derived = {key: value for key, value in config.items() if key != "watch"}
    derived["docs_dir"] = docs_dir
    derived["site_dir"] = site_dir
    derived["theme"] = {**(config.get("theme") or {}), "custom_dir": custom_dir}
    derived["plugins"] = [
        name if options is None else {name: options}
        for name, options in _plugin_items(config)
        if name != PLUGIN
    ]
    derived["nav"] = nav
    return derived


# -- staging -------------------------------------------------------------------------------------


def _ignore_mkdocs_only(root: Path) -> Any:
    def ignore(directory: str, names: Iterable[str]) -> set[str]:
        here = Path(directory).resolve().relative_to(root.resolve())
        return {name for name in names if (here / name).as_posix() in MKDOCS_ONLY_OVERRIDES}

    return ignore


def copy_overrides(source: Path, dest: Path) -> None:
    """The theme overrides for Zensical: all of ``site_overrides`` but the MkDocs-only ones, the
    stylesheets without their comments (as the plugin serves them under MkDocs)."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest, ignore=_ignore_mkdocs_only(source))
    stylesheets.compact_tree(dest)


def stage_docs(build: site.SiteBuild, content: Path, dest: Path) -> None:
    """The hand-written pages plus the generated ones in ``dest``, as MkDocs would see them.

    A generated file replaces a hand-written one of the same path, as in the MkDocs build.
    """
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(content, dest)
    site.write(build, dest)


def write_yaml(data: dict[str, Any], path: Path) -> None:
    text = "# Generated by werkplekleren from mkdocs.yml: do not edit.\n" + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False
    )
    path.write_text(text, encoding="utf-8")


class ZensicalProject:
    """A Zensical project directory: the derived config, the staged pages and overrides."""

    def __init__(self, mkdocs_yml: Path, work_dir: Path) -> None:
        self.mkdocs_yml = mkdocs_yml.resolve()
        self.root = self.mkdocs_yml.parent
        self.config = read_config(self.mkdocs_yml)
        self.dir = work_dir.resolve()
        self.config_file = self.dir / "mkdocs.yml"
        #: Zensical builds here (it must be inside the project), then the result is moved.
        self.output = self.dir / "site"

    @property
    def site_url(self) -> str:
        return str(self.config.get("site_url") or "")

    def path(self, key: str, default: str) -> Path:
        """A path from mkdocs.yml, relative to its directory."""
        return self.root / str(self.config.get(key) or default)

    @property
    def content_dir(self) -> Path:
        return self.path("docs_dir", "docs")

    @property
    def overrides_dir(self) -> Path:
        theme = self.config.get("theme") or {}
        return self.root / str(theme.get("custom_dir") or "overrides")

    def criteria_dir(self) -> Path:
        return self.root / str(plugin_options(self.config).get("criteria", "criteria"))

    def cache_dir(self) -> Path:
        options = plugin_options(self.config)
        return self.root / str(options.get("cache_dir", site.DEFAULT_CACHE_DIR))

    def stage(self, build: site.SiteBuild) -> None:
        """Write the pages, the overrides and the derived config into the project."""
        self.dir.mkdir(parents=True, exist_ok=True)
        stage_docs(build, self.content_dir, self.dir / "docs")
        copy_overrides(self.overrides_dir, self.dir / "overrides")
        derived = derive_config(
            self.config,
            site.nav(build, self.content_dir),
            docs_dir="docs",
            site_dir="site",
            custom_dir="overrides",
        )
        # What the theme's footer shows (edition, publisher): the plugin sets it under MkDocs.
        extra = dict(derived.get("extra") or {})
        extra["werkplekleren"] = site.theme_extra(build.leidraad)
        derived["extra"] = extra
        write_yaml(derived, self.config_file)

    def arguments(self) -> list[str]:
        """The arguments of ``python -m zensical`` that build the project."""
        arguments = ["build", "-f", str(self.config_file)]
        if self.config.get("strict"):
            arguments.append("--strict")
        return arguments

    def command(self) -> list[str]:
        return [sys.executable, "-m", "zensical", *self.arguments()]

    def build(self, quiet: bool = False) -> None:
        """Run Zensical on the staged project into ``self.output``; raise when it fails."""
        if self.output.exists():
            shutil.rmtree(self.output)
        result = subprocess.run(
            [sys.executable, "-m", "zensical", *self.arguments()],
            cwd=self.dir,
            check=False,
            capture_output=quiet,
            text=True,
        )
        if result.returncode != 0 or not (self.output / "index.html").is_file():
            detail = (result.stderr or "").strip().splitlines()[-1:] if quiet else []
            raise EngineError(" ".join(["Zensical-build mislukt", *detail]))


def publish(new: Path, target: Path) -> None:
    """Move a finished build to ``target`` atomically: staged beside it, then swapped."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{target.name}-", dir=target.parent) as tmp:
        beside = Path(tmp) / "site"
        # A rename when both are on one file system, a copy otherwise.
        shutil.move(str(new), beside)
        # The one atomic swap of `werkplekleren site` (imported here: cli imports this module).
        from generator.cli import _swap

        _swap(beside, target)


# -- which engine built a site -------------------------------------------------------------------


def built_with(site_dir: Path, page: str = "index.html") -> str:
    """The engine that built ``site_dir``, read from the generator tag of ``page`` (by default
    the home page)."""
    text = (site_dir / page).read_text(encoding="utf-8")
    return "zensical" if 'name="generator" content="zensical' in text else "mkdocs"


def theme_dir(engine: str) -> Path:
    """The theme's own templates and assets for ``engine`` (to tell its files from ours)."""
    if engine == "zensical":
        import zensical

        return Path(zensical.__file__).resolve().parent / "templates"
    import material

    return Path(material.__file__).resolve().parent / "templates"
