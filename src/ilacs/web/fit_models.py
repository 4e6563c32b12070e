"""Fit the expected-grade models of a record file in a process of its own, and write them to
standard output pickled: the dashboard runs `python -m ilacs.web.fit_models RECORD.db` so
that scikit-learn and what it loads (SciPy, pandas, Arrow: some 130 MB) never stay in the
server, which only reads the results (run through ilacs.child_process)."""

from __future__ import annotations

import pickle
import sys
from collections.abc import Mapping
from pathlib import Path

from ilacs.analysis.expected import ExpectedGrades, all_expected_grades
from ilacs.analysis.record import load_record
from ilacs.reference import load_register
from ilacs.store.database import open_read_only
from ilacs.store.transactions import read_transaction


def expected_from_file(db_path: Path) -> Mapping[str, ExpectedGrades]:
    """The expected-grade models of the record in this file, read in one transaction."""
    conn = open_read_only(db_path)
    try:
        with read_transaction(conn):
            record = load_record(conn, load_register())
    finally:
        conn.close()
    return all_expected_grades(record)


def main() -> None:
    models = expected_from_file(Path(sys.argv[1]))
    sys.stdout.buffer.write(pickle.dumps(dict(models), protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    main()
