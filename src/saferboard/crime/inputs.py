"""Input files for imports: expanding folders and archives, hashing, sniffing formats."""

from __future__ import annotations

import codecs
import contextlib
import gzip
import hashlib
import io
import re
import shutil
import uuid
import zipfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from saferboard.core.archives import bomb_reason, member_chunks
from saferboard.core.checksums import file_sha256
from saferboard.core.workbooks import DAMAGED_ZIP_ERRORS
from saferboard.crime.problems import ImportRejected, Problem

# (stage description, done, total): the importers report progress through this.
Progress = Callable[[str, int, int], None]

STREET_FILE = re.compile(r"(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-street\.csv(\.gz)?$")
DATA_SUFFIXES = (".csv", ".csv.gz", ".parquet")


def no_progress(stage: str, done: int, total: int) -> None:
    """The progress callback used when nobody is watching."""


@dataclass(frozen=True)
class InputFile:
    """One file to import: where it is now and the name it is reported under."""

    path: Path
    name: str  # as given (an archive member is 'archive.zip!folder/file.csv')

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    @property
    def is_parquet(self) -> bool:
        return self.path.name.lower().endswith(".parquet")

    def street_name(self) -> re.Match[str] | None:
        """The month and force in a police.uk street file's name, if it has one."""
        return STREET_FILE.search(self.path.name)


def hash_in_background(files: Sequence[InputFile]) -> Future[list[str]]:
    """Checksum the files on a worker thread while DuckDB reads them (hashlib releases
    the GIL on large blocks, so this costs no import time on a machine with two cores)."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sabo-sha256")
    future = pool.submit(lambda: [file_sha256(f.path) for f in files])
    pool.shutdown(wait=False)
    return future


def _sha256_and_utf8(path: Path) -> tuple[str, bool]:
    """The file's SHA-256 and whether its text (decompressed, for ``.gz``) is valid UTF-8,
    in one read: an import that reads only some columns still refuses a bad byte in any."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    valid = True
    gz = path.name.lower().endswith(".gz")
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            if valid and not gz:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    valid = False
    if valid:
        try:
            if gz:
                with gzip.open(path, "rb") as text:
                    for block in iter(lambda: text.read(1 << 20), b""):
                        decoder.decode(block)
            decoder.decode(b"", final=True)
        except (UnicodeDecodeError, OSError, EOFError):
            valid = False
    return digest.hexdigest(), valid


def hash_and_check_utf8_in_background(
    files: Sequence[InputFile],
) -> Future[list[tuple[str, bool]]]:
    """Like :func:`hash_in_background`, also telling which files are not valid UTF-8."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sabo-sha256")
    future = pool.submit(lambda: [_sha256_and_utf8(f.path) for f in files])
    pool.shutdown(wait=False)
    return future


def open_text(path: Path) -> io.TextIOBase:
    """Open a CSV (optionally gzipped) as text, keeping undecodable bytes visible as
    surrogates so a checker can point at them instead of crashing."""
    if path.name.lower().endswith(".gz"):
        return io.TextIOWrapper(
            gzip.open(path, "rb"), encoding="utf-8", errors="surrogateescape", newline=""
        )
    return open(path, encoding="utf-8", errors="surrogateescape", newline="")


def read_header(file: InputFile) -> list[str]:
    """The first line of a CSV, split into column names (BOM removed)."""
    import csv

    try:
        with open_text(file.path) as handle:
            header = next(csv.reader(handle), [])
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise ImportRejected(Problem(file.name, f"cannot be read: {error}")) from error
    except csv.Error as error:
        raise ImportRejected(Problem(file.name, f"is not a CSV file: {error}", row=1)) from error
    if header:
        header[0] = header[0].lstrip("\ufeff")
    return header


@contextlib.contextmanager
def expanded(
    paths: Sequence[str | Path], *, street_only: bool | None = None
) -> Iterator[list[InputFile]]:
    """The data files named by ``paths`` (files, folders, ``.zip`` archives), in order.

    Folders are searched recursively; from folders and archives only data files are
    taken: only police.uk street files when ``street_only`` (or, when it is ``None``,
    whenever the folder or archive holds any), so a police.uk monthly archive with its
    outcomes and stop-and-search files imports just the street files. A file named
    explicitly is always taken. Archive members are extracted into a private folder
    that is removed afterwards.
    """
    scratch = Path(settings.DATA_DIR) / "crime" / ".incoming" / uuid.uuid4().hex
    files: list[InputFile] = []

    def chooser(names: list[str]) -> Callable[[str], bool]:
        streets = street_only
        if streets is None:
            streets = any(STREET_FILE.search(Path(n.lower()).name) for n in names)

        def wanted(name: str) -> bool:
            lower = Path(name.lower()).name
            if streets:
                return STREET_FILE.search(lower) is not None
            return lower.endswith(DATA_SUFFIXES)

        return wanted

    try:
        for raw in paths:
            path = Path(raw)
            if not path.exists():
                raise ImportRejected(Problem(str(raw), "does not exist"))
            if path.is_dir():
                every = sorted(p for p in path.rglob("*") if p.is_file())
                wanted = chooser([p.name for p in every])
                found = [p for p in every if wanted(p.name)]
                if not found:
                    raise ImportRejected(Problem(str(raw), "holds no data files to import"))
                files.extend(InputFile(p, str(p)) for p in found)
            elif path.name.lower().endswith(".zip"):
                files.extend(_extract(path, scratch, chooser))
            else:
                files.append(InputFile(path, str(path)))
        if not files:
            raise ImportRejected(Problem(", ".join(map(str, paths)) or "(none)", "no files given"))
        yield files
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _extract(
    archive: Path, scratch: Path, chooser: Callable[[list[str]], Callable[[str], bool]]
) -> list[InputFile]:
    try:
        zf = zipfile.ZipFile(archive)  # reads the archive's directory
    except DAMAGED_ZIP_ERRORS as error:
        raise ImportRejected(
            Problem(str(archive), f"is not a readable zip archive: {error}")
        ) from error
    with zf:
        every = sorted(m for m in zf.namelist() if not m.endswith("/"))
        wanted = chooser(every)
        members = [m for m in every if wanted(m)]
        if not members:
            raise ImportRejected(Problem(str(archive), "holds no data files to import"))
        out = []
        for index, member in enumerate(members):
            name = f"{archive}!{member}"
            info = zf.getinfo(member)
            reason = bomb_reason(info)
            if reason:
                raise ImportRejected(Problem(name, reason))
            # Extract under a numbered name: member paths are not trusted as paths.
            target = scratch / f"{index:05d}-{Path(member).name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as sink:
                for chunk in _read_or_refuse(member_chunks(zf, info), name):
                    sink.write(chunk)
            out.append(InputFile(target, name))
        return out


def _read_or_refuse(chunks: Iterator[bytes], name: str) -> Iterator[bytes]:
    """``chunks``, refusing the member by ``name`` if reading it fails (a damaged
    deflate stream or CRC); a failure to write the copy is not the archive's fault and
    is not caught here."""
    try:
        yield from chunks
    except DAMAGED_ZIP_ERRORS as error:
        raise ImportRejected(Problem(name, f"is damaged in the archive: {error}")) from error
