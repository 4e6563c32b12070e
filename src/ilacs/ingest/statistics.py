"""Loading official statistics into the record: read, join, store, derive, log.

The recipe for `ilacs statistics load`, `ilacs update --statistics` and `ilacs build`:

1. read every file (EES tidy CSV, or an MHCLG revenue outturn workbook), on worker
   processes while this one stores those read already (inside the load's transaction:
   other writers wait, readers do not); a file that cannot be read is a problem naming it,
   and the others go on;
2. name each file's data set from the catalogue by its file name (or the data set it is
   loaded as), else by the file's own name; a file whose bytes are already stored for that
   data set is unchanged, and is only hashed, not read again;
3. join every row's place to the register (`ilacs.statistics.geography`); a row whose codes
   join nothing is a problem naming file, row and code, and is skipped;
4. in one transaction: replace each changed data set's figures, re-derive every headline
   indicator, and log what moved in the change log (what was stored before stays untouched
   if anything fails).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ilacs.errors import Problem, ProblemKind, Severity
from ilacs.reference import Register, load_register
from ilacs.statistics.bundle import bundled_tables
from ilacs.statistics.catalogue import Catalogue, Dataset, load_catalogue
from ilacs.statistics.derive import catalogue_series, derive_indicators
from ilacs.statistics.geography import Area, Gazetteer, Place, UnknownArea
from ilacs.statistics.model import IndicatorValue, filters_json
from ilacs.statistics.outturn import read_outturn
from ilacs.statistics.providers import read_providers
from ilacs.statistics.tidy import READER_VERSION, NotTidyStatistics, TidyTable, read_tidy_csv
from ilacs.store.changes import ChangeKind, append_change
from ilacs.store.problems import record_problem
from ilacs.store.statistics import (
    SeriesKey,
    StatisticsSource,
    ValueRow,
    dataset_figures,
    figure_count,
    indicator_figures,
    replace_dataset,
    replace_indicator_values,
    save_areas,
    series_points,
    stored_source,
)
from ilacs.store.transactions import transaction
from ilacs.store.values import now_text

READERS = {".csv": "EES tidy CSV", ".ods": "revenue outturn workbook"}
MAX_AREA_PROBLEMS = 50  # per file; beyond this one problem counts the rest
MAX_MOVES = 12  # examples of moved figures kept in a change log entry


@dataclass(frozen=True)
class StatisticsFile:
    """A file to load, and the data set it is (None: recognise it from its name)."""

    path: Path
    dataset: str | None = None
    title: str | None = None
    location: str | None = None  # where it came from, if not the path (a URL)


@dataclass
class LoadedDataset:
    dataset: str
    title: str
    location: str
    outcome: str  # new, replaced, unchanged
    rows: int = 0  # rows of the file read (not counting rows at other levels)
    figures: int = 0  # figures stored (unchanged: as stored before)
    added: int = 0
    removed: int = 0
    changed: int = 0


@dataclass
class StatisticsLoad:
    datasets: list[LoadedDataset] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    indicator_values: int = 0
    indicators_moved: int = 0

    @property
    def failed(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)


def find_statistics_files(inputs: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Files named, and the .csv and .ods files in folders named (metadata files apart);
    a named file of another kind is a problem, not skipped in silence."""
    found: list[Path] = []
    problems: list[Problem] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.is_file()
                                and p.suffix.casefold() in READERS
                                and not p.name.casefold().endswith(".meta.csv")))
        elif path.is_file():
            if path.suffix.casefold() in READERS:
                found.append(path)
            else:
                problems.append(Problem(ProblemKind.NOT_TIDY_STATISTICS,
                                        f"not a format ilacs reads as statistics (it reads "
                                        f"{', '.join(sorted(READERS))})", str(path),
                                        severity=Severity.ERROR))
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return found, problems


def read_statistics_file(path: Path, name: str | None = None) -> TidyTable:
    """A file as long series, by its kind; NotTidyStatistics if it is no kind ilacs reads."""
    if path.suffix.casefold() != ".ods":
        return read_tidy_csv(path, name=name)
    try:
        return read_outturn(path, name)
    except NotTidyStatistics as outturn:
        try:
            return read_providers(path, name)
        except NotTidyStatistics:
            shown = name or str(path)
            raise NotTidyStatistics(
                "not a workbook ilacs reads: neither MHCLG's revenue outturn (a sheet with "
                "'ONS Code' and 'Local authority' columns) nor Ofsted's provider-level data "
                f"(sheets of providers with a 'Provision type' column) ({outturn})",
                path=shown) from None


def load_statistics(conn: sqlite3.Connection, files: Sequence[StatisticsFile | Path],
                    origin: str = "loaded", catalogue: Catalogue | None = None,
                    register: Register | None = None, workers: int = 1,
                    on_read: Callable[[Path], None] | None = None) -> StatisticsLoad:
    """Load the files (see the module notes); return what each did and the problems.

    `origin` is how the figures came: "loaded" from files, "fetched" from the EES API, or
    "bundled" with ilacs (the record's beginning: not logged as a change). Files are read
    by `workers` processes; everything is stored by this one.
    """
    specs = [item if isinstance(item, StatisticsFile) else StatisticsFile(item)
             for item in files]
    catalogue = catalogue or load_catalogue()
    return load_tables(conn, _unless_stored(conn, specs, catalogue, workers), origin,
                       catalogue, register, on_read)


def _unless_stored(conn: sqlite3.Connection, specs: Sequence[StatisticsFile],
                   catalogue: Catalogue, workers: int
                   ) -> Iterator[tuple[StatisticsFile, TidyTable | Problem | LoadedDataset]]:
    """Each file with what reading it gave; a file whose bytes are its data set's stored ones
    (read by this reader) is not read again, only hashed: it is unchanged. Run as
    `load_tables` stores, inside its transaction, so no other writer comes in between."""
    fresh = []
    for spec in specs:
        try:
            digest = hashlib.sha256(spec.path.read_bytes()).hexdigest()
        except OSError:
            fresh.append(spec)  # reading it names the problem
            continue
        unchanged = _unchanged(conn, spec, catalogue, digest)
        if unchanged is None:
            fresh.append(spec)
        else:
            yield spec, unchanged
    yield from _read_each(fresh, workers)


def load_bundled_statistics(conn: sqlite3.Connection) -> StatisticsLoad:
    """The figures shipped with ilacs (`ilacs build`), stored as if read from their files."""
    return load_tables(conn, ((StatisticsFile(Path(item.location), item.dataset),
                               item.table) for item in bundled_tables()), "bundled")


def load_tables(conn: sqlite3.Connection,
                tables: Iterable[tuple[StatisticsFile, TidyTable | Problem | LoadedDataset]],
                origin: str = "loaded", catalogue: Catalogue | None = None,
                register: Register | None = None,
                on_read: Callable[[Path], None] | None = None) -> StatisticsLoad:
    """Store tables already read (from files, a download or the bundle): see the module."""
    catalogue = catalogue or load_catalogue()
    gazetteer = Gazetteer(register or load_register())
    result = StatisticsLoad()
    stored: list[_Stored] = []
    # One transaction for the whole load, so readers see all of it or none of it; each table
    # is stored as soon as it is read, while the workers read the next ones.
    with transaction(conn):
        for spec, read in tables:
            if on_read is not None:
                on_read(spec.path)
            if isinstance(read, Problem):
                result.problems.append(read)
                continue
            if isinstance(read, LoadedDataset):  # found unchanged without reading it
                result.datasets.append(read)
                continue
            ready = _prepare(conn, spec, read, catalogue, gazetteer, result)
            entry = None if ready is None else _store(conn, ready, origin, result)
            if entry is not None:
                stored.append(entry)
        moves: list[Move] = []
        if stored or not _has_indicator_values(conn):
            before = indicator_figures(conn)
            derived = derive_indicators(catalogue,
                                        series_points(conn, catalogue_series(catalogue)))
            result.indicator_values = replace_indicator_values(conn, derived)
            moves = _indicator_moves(before, derived)
            result.indicators_moved = len(moves)
        for entry in sorted(stored, key=lambda item: item.dataset):
            if origin != "bundled" or entry.before:
                _log_dataset(conn, entry, _moves_reading(catalogue, entry.loaded.dataset, moves))
    result.datasets.sort(key=lambda item: item.dataset)
    return result


@dataclass
class _Prepared:
    spec: StatisticsFile
    location: str
    table: TidyTable
    dataset: str
    title: str
    publication: str | None
    places: dict[int, Place]  # by row number
    previous_sha256: str | None
    problems: list[Problem]


Figures = dict[tuple[str, ...], tuple[float | None, str | None]]


@dataclass
class _Stored:
    """What the change log needs of a stored data set (not its rows, which are let go)."""

    dataset: str
    sha256: str
    previous_sha256: str | None
    periods: list[str]
    loaded: LoadedDataset
    before: Figures
    after: Figures


def _read_each(specs: Sequence[StatisticsFile], workers: int
               ) -> Iterator[tuple[StatisticsFile, TidyTable | Problem]]:
    """Each file with what reading it gave, as soon as it is read; the costliest are started
    first, so no worker is left with a big file at the end, and several are read at once
    when `workers` > 1."""
    ordered = sorted(specs, key=lambda spec: (-_cost(spec.path), str(spec.path)))
    if workers <= 1 or len(ordered) < 2:
        for spec in ordered:
            yield spec, _read_one(spec)
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(ordered))) as pool:
        running = {pool.submit(_read_one, spec): spec for spec in ordered}
        for done in as_completed(running):
            yield running[done], done.result()


def _cost(path: Path) -> int:
    """How long a file takes to read, roughly: its size, a workbook's (zipped XML of
    every cell) thirty times over."""
    try:
        size = path.stat().st_size
    except OSError:
        return 0
    return size * (30 if path.suffix.casefold() == ".ods" else 1)


def _read_one(spec: StatisticsFile) -> TidyTable | Problem:
    location = spec.location or str(spec.path)
    try:
        return read_statistics_file(spec.path, location)
    except NotTidyStatistics as error:
        return Problem(ProblemKind.NOT_TIDY_STATISTICS, str(error).removeprefix(f"{location}: "),
                       location, severity=Severity.ERROR)


def _prepare(conn: sqlite3.Connection, spec: StatisticsFile, table: TidyTable,
             catalogue: Catalogue, gazetteer: Gazetteer,
             result: StatisticsLoad) -> _Prepared | None:
    location = spec.location or str(spec.path)
    unchanged = _unchanged(conn, spec, catalogue, table.sha256)
    if unchanged is not None:
        result.datasets.append(unchanged)
        return None
    known, dataset = _dataset_of(spec, catalogue)
    stored = stored_source(conn, dataset)
    problems = list(table.problems)
    places: dict[int, Place] = {}
    unknown = 0
    for row in table.rows:
        try:
            places[row.number] = gazetteer.place(row.area)
        except UnknownArea as error:
            unknown += 1
            if unknown <= MAX_AREA_PROBLEMS:
                problems.append(Problem(ProblemKind.UNKNOWN_AREA, f"{error}; the row is not "
                                        "loaded", location, row=row.number,
                                        field="new_la_code", severity=Severity.WARNING))
    if unknown > MAX_AREA_PROBLEMS:
        problems.append(Problem(ProblemKind.UNKNOWN_AREA, f"{unknown - MAX_AREA_PROBLEMS} more "
                                "rows whose codes join no authority were not loaded",
                                location, severity=Severity.WARNING))
    title = spec.title or (known.title if known else spec.path.stem)
    return _Prepared(spec, location, table, dataset, title,
                     known.publication if known else None, places,
                     stored.sha256 if stored else None, problems)


def _dataset_of(spec: StatisticsFile, catalogue: Catalogue) -> tuple[Dataset | None, str]:
    """The catalogue's data set of the file (the one it is loaded as, else by its name), if
    any, and the key it is stored under."""
    known = (catalogue.datasets_by_key.get(spec.dataset) if spec.dataset
             else catalogue.dataset_for_file(spec.path.name))
    return known, known.key if known else (spec.dataset or _dataset_name(spec.path))


def _unchanged(conn: sqlite3.Connection, spec: StatisticsFile, catalogue: Catalogue,
               sha256: str) -> LoadedDataset | None:
    """What loading the file did if its bytes (`sha256`) are its data set's stored ones, read
    by this reader: nothing; else None."""
    _, dataset = _dataset_of(spec, catalogue)
    stored = stored_source(conn, dataset)
    if stored is None or stored.sha256 != sha256 or stored.reader_version != READER_VERSION:
        return None
    return LoadedDataset(dataset, stored.title, spec.location or str(spec.path), "unchanged",
                         stored.rows, figure_count(conn, dataset))


def _dataset_name(path: Path) -> str:
    return path.name.removesuffix(path.suffix)


def _store(conn: sqlite3.Connection, ready: _Prepared, origin: str,
           result: StatisticsLoad) -> _Stored | None:
    """Replace one data set's figures, in a savepoint of its own."""
    table = ready.table
    try:
        with transaction(conn):
            before = dataset_figures(conn, ready.dataset) if ready.previous_sha256 else {}
            ids = save_areas(conn, ready.places.values())
            ids_by_id = {area_id: area for area, area_id in ids.items()}
            series: dict[tuple[str, str, str], int] = {}
            keys: list[SeriesKey] = []
            values: list[ValueRow] = []
            after: Figures = {}
            filter_names = table.layout.filters
            indicators = table.layout.indicators
            filter_json: dict[tuple[str, ...], str] = {}
            for row in table.rows:
                place = ready.places.get(row.number)
                if place is None:
                    continue
                filters = filter_json.get(row.filters)
                if filters is None:
                    filters = filter_json[row.filters] = filters_json(
                        tuple(zip(filter_names, row.filters, strict=True)))
                area, period = place.area, row.period
                area_id = ids[area]
                for indicator, cell in zip(indicators, row.cells, strict=True):
                    if cell is None:
                        continue  # unreadable: a problem says so
                    name = (indicator, filters, period.identifier)
                    position = series.get(name)
                    if position is None:
                        position = series[name] = len(keys)
                        keys.append(SeriesKey(indicator, filters, period.identifier,
                                              table.layout.units.get(indicator, "count")))
                    if type(cell) is float:
                        values.append((position, area_id, period.code, period.year, cell,
                                       None, row.number))
                    else:
                        values.append((position, area_id, period.code, period.year, None,
                                       str(cell), row.number))
            if before:
                after = {(keys[v[0]].indicator, keys[v[0]].filters, keys[v[0]].time_identifier,
                          *_area_key(ids_by_id, v[1]), v[2]): (v[4], v[5]) for v in values}
            source = StatisticsSource(
                ready.dataset, ready.title, ready.publication, ready.location, table.sha256,
                table.size, origin, READER_VERSION, len(table.rows), table.layout.to_json(),
                now_text())
            written = replace_dataset(conn, source, keys, values)
            loaded = LoadedDataset(ready.dataset, ready.title, ready.location,
                                   "replaced" if ready.previous_sha256 else "new",
                                   len(table.rows), written)
            if before:
                loaded.added = sum(1 for key in after if key not in before)
                loaded.removed = sum(1 for key in before if key not in after)
                loaded.changed = sum(1 for key, figure in after.items()
                                     if key in before and before[key] != figure)
            _replace_problems(conn, ready)
    except sqlite3.Error as error:
        result.problems.append(Problem(ProblemKind.NOT_TIDY_STATISTICS,
                                       f"could not be stored ({error}); what was stored before "
                                       "is kept", ready.location, severity=Severity.ERROR))
        return None
    result.problems.extend(ready.problems)
    result.datasets.append(loaded)
    return _Stored(ready.dataset, table.sha256, ready.previous_sha256,
                   sorted({row.period.label for row in table.rows}), loaded, before, after)


def _area_key(areas: dict[int, Area], area_id: int) -> tuple[str, str, str]:
    area = areas[area_id]
    return area.level.value, area.code, area.la_code


def _replace_problems(conn: sqlite3.Connection, ready: _Prepared) -> None:
    """A data set's problems are those of the version now stored, once."""
    conn.execute("DELETE FROM problems WHERE path = ? OR document_sha256 IN (?, ?)",
                 (ready.location, ready.previous_sha256 or "", ready.table.sha256))
    for problem in ready.problems:
        record_problem(conn, problem, ready.table.sha256, READER_VERSION)


def _log_dataset(conn: sqlite3.Connection, entry: _Stored, indicator_moves: list[Move]) -> None:
    before, after, loaded = entry.before, entry.after, entry.loaded
    moved = [{"indicator": key[0], "filters": key[1], "area": key[5] or key[4],
              "period": key[6], "before": _shown(before[key]), "after": _shown(figure)}
             for key, figure in sorted(after.items()) if key in before and before[key] != figure]
    facts = {"dataset": loaded.dataset, "title": loaded.title, "location": loaded.location,
             "sha256": entry.sha256, "previous_sha256": entry.previous_sha256,
             "figures": loaded.figures, "added": loaded.added, "removed": loaded.removed,
             "changed": loaded.changed, "moves": moved[:MAX_MOVES],
             "periods": entry.periods,
             "indicators_moved": len(indicator_moves),
             "indicator_moves": indicator_moves[:MAX_MOVES]}
    kind = ChangeKind.STATISTICS_CHANGED if entry.previous_sha256 else \
        ChangeKind.STATISTICS_ADDED
    append_change(conn, kind, f"statistics:{loaded.dataset}", facts)


def _shown(figure: tuple[float | None, str | None]) -> float | str | None:
    return figure[0] if figure[0] is not None else figure[1]


def _has_indicator_values(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM indicator_values LIMIT 1").fetchone() is not None


Move = dict[str, object]


def _indicator_moves(before: dict[tuple[str, str, int], tuple[float | None, str | None]],
                     after: Sequence[IndicatorValue]) -> list[Move]:
    """Headline values that changed, most changed (relative to the old value) first."""
    moves: list[tuple[float, Move]] = []
    for value in after:
        old = before.get((value.indicator, value.subject, value.year))
        if old is None or old == (value.value, value.missing):
            continue
        old_value, old_missing = old
        size = (abs((value.value or 0) - (old_value or 0)) / abs(old_value)
                if old_value and value.value is not None else float("inf"))
        moves.append((size, {"indicator": value.indicator, "subject": value.subject,
                             "urn": value.urn, "period": value.period,
                             "before": old_value if old_value is not None else old_missing,
                             "after": value.value if value.value is not None
                             else value.missing}))
    moves.sort(key=lambda item: -item[0])
    return [move for _, move in moves]


def _moves_reading(catalogue: Catalogue, dataset: str, moves: list[Move]) -> list[Move]:
    """The moves of indicators that read `dataset`."""
    reading = {indicator.key for indicator in catalogue.indicators
               if any(catalogue.term(term).dataset == dataset
                      for term in [*indicator.numerator, *([indicator.denominator]
                                                          if indicator.denominator else [])])}
    return [move for move in moves if move["indicator"] in reading]
