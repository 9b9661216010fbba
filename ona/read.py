"""Find and read input files (CSV, CSV.gz, Parquet, Excel) into string-typed DataFrames.

Everything is read as text so that ids keep their leading zeros and every value is
parsed, with a message naming the row, by the validator of its table. Each frame
gets a ``_row`` column: the row number as a spreadsheet shows it (the header is
row 1, the first data row is row 2; Parquet files have no header row, so their
first row is row 1).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from .errors import CellProblem, InputError
from .schema import SUPPORTED_SUFFIXES

__all__ = ["find_input", "read_table", "normalise_header", "prepare_frame", "detect_encoding",
           "open_binary", "sniff_delimiter", "encoding_error", "part_files", "ROW"]

ROW = "_row"
_HEADER_JUNK = re.compile(r"[^0-9a-z]+")


def normalise_header(name: object) -> str:
    """Lower-case snake_case form of a column header.

    >>> normalise_header(" Employee ID ")
    'employee_id'
    >>> normalise_header("Recipient-IDs")
    'recipient_ids'
    """
    return _HEADER_JUNK.sub("_", str(name).strip().lower()).strip("_")


def suffix_of(path: Path) -> str:
    name = path.name.lower()
    for suffix in SUPPORTED_SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def find_input(data_dir: str | Path, name: str, *, required: bool = False) -> Path | None:
    """The file (or folder of part files) holding input ``name`` in ``data_dir``.

    Looks for ``name.csv``, ``name.csv.gz``, ``name.parquet``, ``name.xlsx``, or a
    folder ``name/`` of CSV or Parquet part files (for large event logs).
    Raises :class:`InputError` when there are two candidates or a required one is missing.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError(data_dir, "is not a folder",
                         fix="Give the folder that holds people.csv (and optionally "
                             "interactions.csv and relationships.csv).")
    found = [data_dir / f"{name}{s}" for s in SUPPORTED_SUFFIXES if (data_dir / f"{name}{s}").is_file()]
    folder = data_dir / name
    if folder.is_dir() and _part_files(folder):
        found.append(folder)
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise InputError(data_dir, f"holds more than one '{name}' input ({names})",
                         fix="Keep exactly one of them in the folder.")
    if not found:
        if required:
            raise InputError(data_dir / f"{name}.csv", "not found",
                             fix=f"Put a {name} file (.csv, .csv.gz, .parquet or .xlsx) "
                                 "in the folder; see docs/data-contract.md.")
        return None
    return found[0]


def _part_files(folder: Path) -> list[Path]:
    """Part files in the folder and its subfolders (a partitioned data-lake layout such as
    ``interactions/month=2026-01/part-0.parquet`` reads as is), in path order."""
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not p.name.startswith((".", "_"))
                  and suffix_of(p) in (".csv", ".csv.gz", ".parquet"))


def part_files(path: Path) -> list[Path]:
    """The files behind an input: itself, or the part files of a folder."""
    return _part_files(path) if path.is_dir() else [path]


def read_table(path: str | Path, *, encoding: str | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Read one table as text, headers normalised, with a ``_row`` column.

    Parameters
    ----------
    path : file path (.csv, .csv.gz, .parquet, .xlsx) or a folder of part files.
    encoding : text encoding of a CSV file. By default UTF-8 (with or without a
        byte-order mark), UTF-16 when the file starts with a UTF-16 byte-order mark.
    sheet : the sheet of an Excel workbook (default the first; the frame's
        ``attrs["note"]`` says which was read when there are several).

    Raises
    ------
    InputError
        The file is empty, unreadable, not in the encoding, or has repeated headers.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "people.csv"
    >>> _ = p.write_text("Employee ID,Department\\n007,Sales\\n")
    >>> read_table(p).to_dict("records")
    [{'employee_id': '007', 'department': 'Sales', '_row': 2}]
    """
    path = Path(path)
    if path.is_dir():
        parts = [read_table(p, encoding=encoding, sheet=sheet) for p in _part_files(path)]
        if not parts:
            raise InputError(path, "holds no .csv or .parquet part files")
        return pd.concat(parts, ignore_index=True)
    if not path.exists():
        raise InputError(path, "not found")
    suffix = suffix_of(path)
    if suffix in (".csv", ".csv.gz"):
        frame, first_row = _read_csv(path, encoding), 2
    elif suffix == ".parquet":
        frame, first_row = _read_parquet(path), 1
    elif suffix in (".xlsx", ".xlsm"):
        frame, first_row = _read_excel(path, sheet), 2
    else:
        raise InputError(path, f"has an ending ona does not read ({suffix or 'none'})",
                         fix="Use .csv, .csv.gz, .parquet or .xlsx.")
    return prepare_frame(frame, path, first_row)


def prepare_frame(frame: pd.DataFrame, path: Path, first_row: int) -> pd.DataFrame:
    """Normalise headers, turn every value into stripped text (empty = missing), add ``_row``
    numbered from ``first_row`` and drop blank rows."""
    note = frame.attrs.get("note")
    raw_columns = list(frame.columns)
    # a column with an unreadable header (only symbols) keeps its data under its position
    headers = [normalise_header(c) or (f"column_{i + 1}" if frame.iloc[:, i].notna().any() else "")
               for i, c in enumerate(frame.columns)]
    seen: dict[str, str] = {}
    for raw, norm in zip(frame.columns, headers):
        if not norm:
            continue
        if norm in seen:
            raise InputError(path, f"has two columns that both mean '{norm}' "
                                   f"({seen[norm]!r} and {raw!r})",
                             fix="Rename or remove one of them.")
        seen[norm] = str(raw)
    frame.columns = headers
    # drop unnamed columns that are entirely empty (trailing commas in spreadsheets)
    keep = [c for c in frame.columns if c or frame[c].notna().any()]
    frame = frame.loc[:, keep]
    for col in frame.columns:
        frame[col] = _as_text(frame[col])
    frame[ROW] = range(first_row, first_row + len(frame))
    blank = frame.drop(columns=[ROW]).isna().all(axis=1)
    if blank.any():
        frame = frame.loc[~blank]
    frame = frame.reset_index(drop=True)
    # the headers as written, for files that may have none (a panel list of ids)
    frame.attrs["raw_header"] = {norm: str(raw).strip() for raw, norm in zip(raw_columns, headers) if norm}
    if note:
        frame.attrs["note"] = note
    return frame


def _as_text(column: pd.Series) -> pd.Series:
    """Text version of a column: whole floats without '.0', stripped, '' as missing."""
    if pd.api.types.is_float_dtype(column):
        values = column.dropna()
        # whole numbers as integers (an id read as 7.0 is "7"), within what floats hold exactly
        if len(values) and (values % 1 == 0).all() and (values.abs() < 2 ** 53).all():
            column = column.astype("Int64")
    elif pd.api.types.is_datetime64_any_dtype(column):
        column = column.map(lambda v: v.isoformat() if pd.notna(v) else None)
    text = column.astype("str").str.strip()
    return text.mask(text == "")


def sniff_delimiter(first_line: str) -> str:
    for delim in (",", "\t", ";", "|"):
        if delim in first_line:
            return delim
    return ","


def detect_encoding(path: Path, encoding: str | None) -> str:
    if encoding:
        return encoding
    with open_binary(path) as fh:
        head = fh.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return "utf-8-sig"


def open_binary(path: Path):
    if path.name.lower().endswith(".gz"):
        import gzip
        return gzip.open(path, "rb")
    return open(path, "rb")


def first_bad_line(path: Path, encoding: str) -> int | None:
    """Line number (1-based) of the first line that does not decode, or None."""
    if encoding.lower().replace("_", "-") not in ("utf-8", "utf-8-sig", "utf8"):
        return None
    with open_binary(path) as fh:
        for number, line in enumerate(fh, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


def encoding_error(path: Path, encoding: str) -> InputError:
    line = first_bad_line(path, encoding)
    where = f" (row {line} is the first with bytes that are not UTF-8)" if line else ""
    return InputError(
        path, f"is not {encoding.replace('-sig', '').upper()} text{where}",
        fix="Save it as UTF-8 ('CSV UTF-8' in Excel), or give its encoding "
            "(--encoding latin-1, --encoding cp1252, ...).")


def _read_csv(path: Path, encoding: str | None) -> pd.DataFrame:
    enc = detect_encoding(path, encoding)
    try:
        if path.stat().st_size == 0:
            raise InputError(path, "is empty", fix="Export the table again with its header row.")
        with open_binary(path) as fh:
            first = io.TextIOWrapper(fh, encoding=enc, newline="").readline()
        delimiter = sniff_delimiter(first)
        _check_shape(path, enc, delimiter)
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                            sep=delimiter, encoding=enc, skip_blank_lines=False,
                            skipinitialspace=True)
    except UnicodeDecodeError:
        raise encoding_error(path, enc) from None
    except pd.errors.EmptyDataError:
        raise InputError(path, "is empty", fix="Export the table again with its header row.") from None
    except pd.errors.ParserError as exc:
        raise InputError(path, f"is not a well-formed CSV table ({_short(exc)})",
                         fix="Check for unbalanced quotes or rows with extra separators.") from None
    except (OSError, LookupError) as exc:
        raise InputError(path, f"cannot be read ({_short(exc)})") from None
    return frame


#: A CSV field longer than this is not a value a person wrote (a runaway quote, a blob).
MAX_FIELD = 1_000_000


def _check_shape(path: Path, encoding: str, delimiter: str) -> None:
    """One pass over the rows before pandas reads them: two headers that mean the same, a
    row with fewer or more fields than the header, or a field longer than MAX_FIELD are
    errors naming the row (pandas would rename, pad or fail without a row)."""
    csv.field_size_limit(MAX_FIELD)
    with open_binary(path) as fh:
        reader = csv.reader(io.TextIOWrapper(fh, encoding=encoding, newline=""), delimiter=delimiter)
        try:
            header = next(reader, [])
            seen: dict[str, str] = {}
            for raw in header:
                norm = normalise_header(raw)
                if norm and norm in seen:
                    raise InputError(path, f"has two columns that both mean '{norm}' "
                                           f"({seen[norm]!r} and {raw!r})",
                                     fix="Rename or remove one of them.")
                seen[norm] = raw
            width = len(header)
            for number, fields in enumerate(reader, start=2):
                if fields and len(fields) != width and any(f.strip() for f in fields):
                    raise InputError(path, f"has {len(fields)} fields on this row where the header "
                                           f"has {width}", cells=[CellProblem(number)],
                                     fix="Check for a missing or extra separator, or an unbalanced quote.")
        except csv.Error as exc:
            line = getattr(reader, "line_num", None)
            raise InputError(path, f"is not a well-formed CSV table ({_short(exc)})",
                             cells=[CellProblem(line)] if line else (),
                             fix=f"A field is longer than {MAX_FIELD:,} characters or a quote is not "
                                 "closed; check that row.") from None


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        import pyarrow.parquet as pq
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise InputError(path, f"cannot be read as Parquet ({_short(exc)})") from None
    return table.to_pandas()


#: A workbook that unpacks to more than this, or compresses more than 200 to 1, is refused.
MAX_UNPACKED = 2 * 1024 ** 3


def _read_excel(path: Path, sheet: str | None = None) -> pd.DataFrame:
    """The first sheet (or ``sheet``) of a workbook, as text. A workbook with several sheets
    says which one was read (``frame.attrs["note"]``); a formula whose value was never
    computed (saved by a program that does not calculate) is an error naming the cell."""
    import zipfile

    import openpyxl
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
        unpacked = sum(m.file_size for m in members)
        if unpacked > MAX_UNPACKED or unpacked / max(sum(m.compress_size for m in members), 1) > 200 \
                and unpacked > 50 * 1024 ** 2:
            raise InputError(path, "unpacks to far more than its size (a compressed bomb?)",
                             fix="Save the table again as .xlsx or as .csv.")
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except InputError:
        raise
    except Exception as exc:  # zipfile / openpyxl errors on a damaged workbook
        raise InputError(path, f"cannot be read as an Excel workbook ({_short(exc)})",
                         fix="Open it in a spreadsheet program and save it again as .xlsx.") from None
    try:
        names = book.sheetnames
        if sheet is not None and sheet not in names:
            raise InputError(path, f"has no sheet {sheet!r} (its sheets: {', '.join(names)})",
                             fix="Give one of its sheets with --sheet.")
        chosen = sheet or names[0]
        rows = list(book[chosen].iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        raise InputError(path, f"sheet {chosen!r} is empty",
                         fix="Put the table on the first sheet, or choose it with --sheet.")
    frame = pd.DataFrame(rows[1:], columns=[("" if c is None else str(c)) for c in rows[0]], dtype=object)
    empty = frame.isna()
    if empty.any().any():
        _check_formulas(path, chosen, empty)
    frame = frame.astype("string").astype(object).where(frame.notna(), None)
    if len(names) > 1:
        frame.attrs["note"] = (f"{path.name} has {len(names)} sheets ({', '.join(names[:5])}"
                               f"{' ...' if len(names) > 5 else ''}); read {chosen!r}"
                               + ("" if sheet else " (choose another with --sheet)"))
    return frame


def _check_formulas(path: Path, sheet: str, empty: pd.DataFrame) -> None:
    """Empty cells that are formulas without a saved value: an error naming the first."""
    import openpyxl
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        for r, row in enumerate(book[sheet].iter_rows(min_row=2, values_only=True)):
            for c, value in enumerate(row):
                if isinstance(value, str) and value.startswith("=") and r < len(empty) \
                        and c < empty.shape[1] and empty.iat[r, c]:
                    raise InputError(path, f"sheet {sheet!r}: the formula {value[:40]!r} has no saved "
                                           "value", cells=[CellProblem(r + 2)],
                                     column=str(empty.columns[c]),
                                     fix="Open the workbook in Excel or LibreOffice, let it calculate, "
                                         "and save it again (or paste the values).")
    finally:
        book.close()


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
