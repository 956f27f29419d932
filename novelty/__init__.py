"""novelty: does RL teach a model reasoning strategies its base model never samples?

The public API, re-exported; heavy packages (torch, sentence-transformers, faiss) are
imported only by the stages that need them.
"""

from novelty.calibrate import conformal_p_values, conformal_radius
from novelty.config import ScanConfig
from novelty.decide import cluster_p_value, decide
from novelty.errors import ConfigError, InputError, NoveltyError
from novelty.ingest import IngestOptions, ingest, inspect_source
from novelty.pipeline import scan
from novelty.prefill import EmbedCounts, embed
from novelty.report import Report, read_report, write_report
from novelty.types import Trace

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "EmbedCounts",
    "IngestOptions",
    "InputError",
    "NoveltyError",
    "Report",
    "ScanConfig",
    "Trace",
    "__version__",
    "cluster_p_value",
    "conformal_p_values",
    "conformal_radius",
    "decide",
    "embed",
    "ingest",
    "inspect_source",
    "read_report",
    "scan",
    "write_report",
]
