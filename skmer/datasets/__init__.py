"""Synthetic multimodal emotion data and loaders for public MER corpora."""

from skmer.datasets._base import (
    SPLIT_CODES,
    file_sha256,
    get_data_home,
    sentiment_tasks,
    verify_checksum,
)
from skmer.datasets._bclstm import load_mosi_bclstm
from skmer.datasets._csd import (
    CMU_MOSI_STANDARD_FOLDS,
    align_csd,
    load_cmu_mosei_csd,
    load_cmu_mosi_csd,
    load_cmu_sdk,
    load_pom_csd,
    read_csd,
    standard_folds,
)
from skmer.datasets._deap import load_deap
from skmer.datasets._dialogue import load_iemocap_dialoguernn, load_meld_dialoguernn
from skmer.datasets._generic import (
    load_multimodal_folder,
    load_multimodal_table,
    read_item,
)
from skmer.datasets._mmmo_youtube import load_mmmo, load_youtube
from skmer.datasets._mmsa import (
    load_mmsa,
    load_mosei_mmsa,
    load_mosi_mmsa,
    load_sims_mmsa,
)
from skmer.datasets._synthetic import (
    make_multimodal_classification,
    make_multimodal_regression,
    simulate_missing,
)

__all__ = [
    "CMU_MOSI_STANDARD_FOLDS",
    "SPLIT_CODES",
    "align_csd",
    "file_sha256",
    "get_data_home",
    "load_cmu_mosei_csd",
    "load_cmu_mosi_csd",
    "load_cmu_sdk",
    "load_deap",
    "load_iemocap_dialoguernn",
    "load_meld_dialoguernn",
    "load_mmmo",
    "load_mmsa",
    "load_mosei_mmsa",
    "load_mosi_bclstm",
    "load_mosi_mmsa",
    "load_multimodal_folder",
    "load_multimodal_table",
    "load_pom_csd",
    "load_sims_mmsa",
    "load_youtube",
    "make_multimodal_classification",
    "make_multimodal_regression",
    "read_csd",
    "read_item",
    "sentiment_tasks",
    "simulate_missing",
    "standard_folds",
    "verify_checksum",
]
