"""One way to import: reading, column validation, located problems and the pipeline.

Each importer reads its file with :mod:`.reading`, checks its columns against a
declared table (:mod:`.columns`), reports what is wrong as :class:`.LocatedProblem`
(:mod:`.problems`) and writes through :func:`.pipeline.run_import`, which stages,
commits, records provenance and audit, and refreshes, all or nothing. See
docs/importing.md.
"""

from saferboard.core.importing.problems import (
    PLAN_STYLE,
    RETURN_STYLE,
    SOURCE_STYLE,
    ImportRejected,
    LocatedProblem,
    ProblemStyle,
)

__all__ = [
    "PLAN_STYLE",
    "RETURN_STYLE",
    "SOURCE_STYLE",
    "ImportRejected",
    "LocatedProblem",
    "ProblemStyle",
]
