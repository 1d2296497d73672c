"""Why an import was refused: a located problem (file, row, column, value).

The type now lives in :mod:`saferboard.core.importing.problems`, shared by every
importer; these names stay for the crime importers and their callers.
"""

from __future__ import annotations

from saferboard.core.importing.problems import ImportRejected, LocatedProblem

Problem = LocatedProblem
"""A crime-source problem: ``LocatedProblem`` in its default (source) style."""

__all__ = ["ImportRejected", "Problem"]
