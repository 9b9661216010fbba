"""Writing outputs: one place for file formats, spreadsheet safety and complete runs.

- **Spreadsheet safety.** A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is a formula to Excel, LibreOffice and Google Sheets, and names or titles
  can come from self-edited profiles (a Slack display name ``=HYPERLINK(...)``). Every CSV
  and Excel output, and every dashboard download, passes its text through
  :func:`neutralize`, which puts an apostrophe in front of such a cell — the spreadsheet
  convention for "this is text" — so the value stays readable and never runs. Numbers stay
  numbers. Parquet keeps typed values and is left as it is.
- **Complete runs.** :class:`OutputFolder` writes every file of a run into a hidden folder
  beside the outputs and moves them into place only when all are written; ``run.json`` is
  moved last. A run that fails or is stopped leaves the previous complete results. A lock
  file stops a second run writing into the same folder at the same time.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pandas as pd

from .errors import ConfigError

__all__ = ["FORMULA_STARTS", "OUTPUT_FORMATS", "check_format", "neutralize", "neutral_text", "write_table",
           "OutputFolder"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
OUTPUT_FORMATS = ("csv", "parquet", "xlsx")
LOCK_NAME = ".ona-writing.lock"


def neutral_text(value: object) -> object:
    """A text value a spreadsheet would run, made inert; anything else as it is.

    >>> neutral_text("=HYPERLINK(\\"http://x\\")"), neutral_text("Ana"), neutral_text(-3)
    ('\\'=HYPERLINK("http://x")', 'Ana', -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _neutral_series(column: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_bool_dtype(column.dtype) \
            or pd.api.types.is_datetime64_any_dtype(column.dtype):
        return column
    text = column.astype("string")
    risky = text.str.startswith(FORMULA_STARTS).fillna(False).to_numpy(bool)
    if not risky.any():
        return column
    out = column.astype(object).copy()
    out[risky] = ("'" + text[risky]).to_numpy(dtype=object)
    return out


def neutralize(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells, text index and column names cannot run as
    spreadsheet formulas (see the module doc); the frame itself is not changed.

    >>> frame = pd.DataFrame({"name": ["=1+1", "Bo"], "score": [-1.5, 2.0]})
    >>> neutralize(frame).to_dict("list")
    {'name': ["'=1+1", 'Bo'], 'score': [-1.5, 2.0]}
    """
    out = pd.DataFrame({i: _neutral_series(frame.iloc[:, i]) for i in range(frame.shape[1])},
                       index=frame.index)
    out.columns = pd.Index([neutral_text(c) for c in frame.columns], name=frame.columns.name)
    if not isinstance(frame.index, pd.MultiIndex):
        index = _neutral_series(pd.Series(frame.index, index=frame.index))
        out.index = pd.Index(index.to_numpy(), name=neutral_text(frame.index.name))
    return out


def check_format(fmt: str) -> str:
    """``fmt`` if ona writes tables in it, else an error listing the formats.

    >>> check_format("parquet")
    'parquet'
    """
    if fmt not in OUTPUT_FORMATS:
        raise ConfigError(f"output format must be one of {', '.join(OUTPUT_FORMATS)}, got {fmt!r}")
    return fmt


def write_table(frame: pd.DataFrame, path: Path, fmt: str = "csv", *, index: bool = False,
                header: bool = True) -> Path:
    """Write one output table as CSV, Parquet or Excel; returns the path with its ending.
    CSV and Excel are neutralised (module doc). ``header=False``: a CSV without its header
    line (a later piece of a table written in pieces).

    >>> import tempfile
    >>> p = write_table(pd.DataFrame({"a": ["@x"]}), Path(tempfile.mkdtemp()) / "t", "csv")
    >>> p.read_text()
    "a\\n'@x\\n"
    """
    check_format(fmt)
    path = Path(path).with_suffix("." + fmt)
    if fmt == "parquet":
        frame.to_parquet(path, index=index)
    elif fmt == "csv":
        neutralize(frame).to_csv(path, index=index, header=header)
    else:
        neutralize(frame).to_excel(path, index=index, engine="openpyxl")
    return path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class OutputFolder:
    """Write a run's files so that the folder only ever holds complete results.

    ``with OutputFolder(out) as folder:`` takes the folder's lock (a second run into the
    same folder is refused while this one is alive), and ``folder.path(name)`` gives where
    to write ``name``; the files are moved into ``out`` when the block ends without an
    error (``run.json`` last), and dropped otherwise. :meth:`final` maps a staged path to
    where it will be.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> with OutputFolder(out) as folder:
    ...     _ = folder.path("a.csv").write_text("x\\n")
    ...     (out / "a.csv").exists()
    False
    >>> (out / "a.csv").read_text(), sorted(p.name for p in out.iterdir())
    ('x\\n', ['a.csv'])
    """

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        self.staging: Path | None = None
        self._lock: Path | None = None

    def __enter__(self) -> OutputFolder:
        try:
            self.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create the output folder {self.out}: {exc.strerror}") from None
        self._take_lock()
        self.staging = self.out / f".ona-partial-{os.getpid()}"
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir()
        return self

    def _take_lock(self) -> None:
        lock = self.out / LOCK_NAME
        for _ in range(2):
            try:
                fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                try:
                    pid = int(lock.read_text().strip() or 0)
                except (OSError, ValueError):
                    pid = 0
                if pid and pid != os.getpid() and _alive(pid):
                    raise ConfigError(f"another ona run (process {pid}) is writing to {self.out}; "
                                      "wait for it to finish or choose another --out folder") from None
                lock.unlink(missing_ok=True)  # left by a run that died: take it over
                continue
            with os.fdopen(fd, "w") as fh:
                fh.write(str(os.getpid()))
            self._lock = lock
            return
        raise ConfigError(f"cannot take the lock of {self.out}; remove {lock} if no run is writing there")

    def path(self, name: str) -> Path:
        """Where to write ``name`` (a file name, or a path inside the folder)."""
        assert self.staging is not None, "use OutputFolder in a with block"
        target = self.staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def final(self, staged: Path) -> Path:
        """Where a staged file ends up."""
        assert self.staging is not None
        return self.out / Path(staged).relative_to(self.staging)

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if kind is None and self.staging is not None:
                staged = sorted(p for p in self.staging.rglob("*") if p.is_file())
                staged.sort(key=lambda p: p.name == "run.json")  # the run record last
                for path in staged:
                    target = self.final(path)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(path, target)
        finally:
            if self.staging is not None:
                shutil.rmtree(self.staging, ignore_errors=True)
            if self._lock is not None:
                self._lock.unlink(missing_ok=True)


def disk_full(exc: BaseException) -> bool:
    """Whether an error is a full disk (or quota)."""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)
