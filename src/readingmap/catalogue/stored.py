"""A checked catalogue as JSON and back, for the build cache (see ``load.load_catalogue``).

Every value is rebuilt through the type hints of the model's dataclasses and checked against them
on the way: a stored catalogue of the wrong shape raises :class:`ValueError` (the cache then reads
the data files instead), never yields a catalogue that the checks did not pass. Values come back as
plain strings: the positions they were read at only matter to the checks, which passed.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any, Literal

from .model import Catalogue


def dump(cat: Catalogue) -> Any:
    return _dump(cat)


def load(value: Any) -> Catalogue:
    """The catalogue ``value`` holds; :class:`ValueError` if it does not hold one exactly."""
    try:
        out = _loader(Catalogue)(value)
    except (TypeError, KeyError, AttributeError) as exc:
        raise ValueError(f"not a stored catalogue: {exc}") from None
    assert isinstance(out, Catalogue)
    return out


def _dump(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _dump(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, tuple | list):
        return [_dump(v) for v in obj]
    if isinstance(obj, str):
        return str(obj)
    if obj is None or isinstance(obj, int):
        return obj
    raise TypeError(f"cannot store {type(obj).__name__}")


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value


def _integer(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("expected an integer")
    return value


def _null(value: Any) -> None:
    if value is not None:
        raise ValueError("expected null")


@cache
def _loader(tp: Any) -> Callable[[Any], Any]:
    """A function that rebuilds a value of type ``tp`` from JSON, checking it (made once per type)."""
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        cls: Any = tp
        hints = typing.get_type_hints(cls)
        fields = {f.name: _loader(hints[f.name]) for f in dataclasses.fields(cls) if f.init}
        names = set(fields)

        def load_dataclass(value: Any) -> Any:
            if not isinstance(value, dict) or value.keys() != names:
                raise ValueError(f"{cls.__name__}: expected an object with {sorted(names)}")
            return cls(**{name: load(value[name]) for name, load in fields.items()})

        return load_dataclass
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _loader(args[0])

            def load_sequence(value: Any) -> tuple[Any, ...]:
                if not isinstance(value, list):
                    raise ValueError("expected a list")
                return tuple(item(v) for v in value)

            return load_sequence
        items = [_loader(a) for a in args]

        def load_tuple(value: Any) -> tuple[Any, ...]:
            if not isinstance(value, list) or len(value) != len(items):
                raise ValueError(f"expected a list of {len(items)}")
            return tuple(load(v) for load, v in zip(items, value, strict=True))

        return load_tuple
    if origin in (typing.Union, types.UnionType):
        options = [_loader(o) for o in typing.get_args(tp)]

        def load_union(value: Any) -> Any:
            for option in options:
                try:
                    return option(value)
                except ValueError:
                    continue
            raise ValueError(f"none of {tp}")

        return load_union
    if origin is Literal:
        allowed = frozenset(typing.get_args(tp))

        def load_literal(value: Any) -> Any:
            if not isinstance(value, str) or value not in allowed:
                raise ValueError(f"{value!r} is not one of {sorted(allowed)}")
            return value

        return load_literal
    if tp is type(None):
        return _null
    if tp is str:
        return _string
    if tp is int:
        return _integer
    raise TypeError(f"cannot read {tp}")
