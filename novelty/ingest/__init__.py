"""Reading input: one way in, :func:`ingest`, from files or records to validated traces.

The package's modules, in the order a record meets them:

- :mod:`~novelty.ingest.read`: files and folders to raw ``(line, record)`` rows;
- :mod:`~novelty.ingest.formats`: the formats and their detection from a file's first record;
- :mod:`~novelty.ingest.adapters`: one adapter per format, raw records to canonical ones;
- :mod:`~novelty.ingest.mapping`: ``--map FIELD=dotted.path``;
- :mod:`~novelty.ingest.roles`: base or RL (model names, step ranges) and the checks of the whole;
- :mod:`~novelty.ingest.runs`: several RL runs against one base, their names and files;
- :mod:`~novelty.ingest.validate`: canonical records to ``Trace``, every error at its file:line;
- :mod:`~novelty.ingest.source`: :func:`ingest`, which chains them;
- :mod:`~novelty.ingest.survey`: ``novelty inspect``, what a scan would read.

Other packages use the names below; the modules' other public names are for tests and tools.
"""

from novelty.ingest.formats import format_names
from novelty.ingest.mapping import parse_field_map
from novelty.ingest.roles import check_base_samples, parse_steps, rl_names
from novelty.ingest.runs import parse_run, rl_runs, run_name
from novelty.ingest.source import FileSummary, Ingested, IngestOptions, ingest
from novelty.ingest.survey import inspect_source, render_inspection

__all__ = [
    "FileSummary",
    "IngestOptions",
    "Ingested",
    "check_base_samples",
    "format_names",
    "ingest",
    "inspect_source",
    "parse_field_map",
    "parse_run",
    "parse_steps",
    "render_inspection",
    "rl_names",
    "rl_runs",
    "run_name",
]
