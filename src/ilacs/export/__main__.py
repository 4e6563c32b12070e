"""`python -m ilacs.export`: the child process the server has its export files made in
(ilacs.export.own_process)."""

import sys

from ilacs.export.own_process import main

raise SystemExit(main(sys.argv[1:]))
