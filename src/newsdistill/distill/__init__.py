"""Distill: choose a story's evidence (code), word it (a Writer), verify it, build the Digest."""

from newsdistill.distill.assemble import Distiller, UnverifiedClaimError
from newsdistill.distill.brief import build_brief

__all__ = ["Distiller", "UnverifiedClaimError", "build_brief"]
