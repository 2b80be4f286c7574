"""Plugins: writers, judges and embedders come from pluggy hooks, found by name when needed.

A plugin is a module (or any object) with functions marked `@hookimpl` that implement the hooks
of `Hooks`. Each hook gets a `register(name, factory)` callback; `factory(settings)` builds the
thing. newsdistill's own writers, judges and embedder are plugins like any other (the modules
in BUILTIN_PLUGINS); an installed distribution adds its own through the `newsdistill` entry-point
group:

    [project.entry-points.newsdistill]
    shout = "newsdistill_shout"

Plugins load on first use, and registering costs nothing: a factory loads its model only when
it is called, so listing names for a help text or an error loads no model.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import pluggy

from newsdistill.config import Settings
from newsdistill.errors import ConfigError

if TYPE_CHECKING:
    from newsdistill.nlp.embed import Embedder
    from newsdistill.verify.judge import Judge
    from newsdistill.writers.base import Writer

PROJECT = "newsdistill"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

T = TypeVar("T")
Factory = Callable[[Settings], T]
Register = Callable[[str, Factory[T]], None]

# Registered in this order; an entry-point plugin cannot take a name one of these has.
BUILTIN_PLUGINS = (
    "newsdistill.writers.extractive",
    "newsdistill.writers.llm",
    "newsdistill.verify.judge",
    "newsdistill.verify.trained",
    "newsdistill.verify.llm_judge",
    "newsdistill.nlp.embed",
    "newsdistill.nlp.multilingual",
)


class Hooks:
    """The hook specifications a plugin may implement (as plain functions named like these)."""

    @hookspec
    def register_writers(self, register: Register[Writer]) -> None:
        """Call `register(name, factory)` for each writer; `factory(settings)` returns a Writer."""

    @hookspec
    def register_judges(self, register: Register[Judge]) -> None:
        """Call `register(name, factory)` for each judge; `factory(settings)` returns a Judge."""

    @hookspec
    def register_embedders(self, register: Register[Embedder]) -> None:
        """Call `register(name, factory)` for each embedder; `factory(settings)` returns an
        Embedder."""


@cache
def plugin_manager() -> pluggy.PluginManager:
    """The process's plugin manager: built-in plugins, then the installed entry points."""
    manager = pluggy.PluginManager(PROJECT)
    manager.add_hookspecs(Hooks)
    for module in BUILTIN_PLUGINS:
        manager.register(importlib.import_module(module), name=module)
    try:
        manager.load_setuptools_entrypoints(PROJECT)
    except Exception as exc:  # a third-party module: any error it raises on import is its own
        raise ConfigError(
            f"a newsdistill plugin failed to load: {type(exc).__name__}: {exc}"
        ) from exc
    return manager


class Registry(Generic[T]):
    """The factories of one kind (writer, judge, embedder) by name, as the plugins gave them."""

    def __init__(self, kind: str, hook: Any) -> None:
        self.kind = kind
        self.factories: dict[str, Factory[T]] = {}
        hook(register=self._add)

    def _add(self, name: str, factory: Factory[T]) -> None:
        if name in self.factories:
            raise ConfigError(
                f"two plugins register the {self.kind} {name!r}: "
                f"{origin(self.factories[name])} and {origin(factory)}"
            )
        self.factories[name] = factory

    def names(self) -> list[str]:
        return sorted(self.factories)

    def build(self, name: str, settings: Settings) -> T:
        try:
            factory = self.factories[name]
        except KeyError:
            raise ConfigError(
                f"unknown {self.kind} {name!r}; choose one of: {', '.join(self.names())}"
            ) from None
        return factory(settings)


def origin(factory: Callable[..., object]) -> str:
    """The module that defines a factory: where a name comes from, for listings and errors."""
    return getattr(factory, "__module__", None) or repr(factory)


def writers() -> Registry[Writer]:
    return Registry("writer", plugin_manager().hook.register_writers)


def judges() -> Registry[Judge]:
    return Registry("judge", plugin_manager().hook.register_judges)


def embedders() -> Registry[Embedder]:
    return Registry("embedder", plugin_manager().hook.register_embedders)
