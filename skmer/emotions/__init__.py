"""Emotion models, CES<->DES mappings, annotation aggregation and MER tasks.

Categorical emotion state (CES) schemes and dimensional emotion state (DES)
spaces, mappings between them, aggregation of raters' annotations, and
estimators of the MER tasks beyond single-label classification: label
distribution learning, emotion-distribution prediction in valence-arousal space,
emotion detection and affective retrieval.
"""

from skmer.emotions._annotation import (
    dawid_skene,
    fleiss_kappa,
    krippendorff_alpha,
    label_distribution,
    majority_vote,
    rescale_ratings,
    traces_to_windows,
)
from skmer.emotions._detection import EmotionSegmentDetector
from skmer.emotions._distribution import EmotionDistributionRegressor
from skmer.emotions._ldl import (
    ClassifierLDL,
    MaxEntropyLDL,
    check_label_distributions,
)
from skmer.emotions._mapping import (
    EmotionMapping,
    category_to_dimensions,
    default_coordinates,
    dimensions_to_category,
)
from skmer.emotions._models import (
    CategoricalEmotionModel,
    DimensionalEmotionSpace,
    get_emotion_model,
    get_emotion_space,
)
from skmer.emotions._retrieval import AffectiveRetriever
from skmer.emotions._target import (
    CategoricalEmotionRegressor,
    DimensionalEmotionClassifier,
)

__all__ = [
    "AffectiveRetriever",
    "CategoricalEmotionModel",
    "CategoricalEmotionRegressor",
    "ClassifierLDL",
    "DimensionalEmotionClassifier",
    "DimensionalEmotionSpace",
    "EmotionDistributionRegressor",
    "EmotionMapping",
    "EmotionSegmentDetector",
    "MaxEntropyLDL",
    "category_to_dimensions",
    "check_label_distributions",
    "dawid_skene",
    "default_coordinates",
    "dimensions_to_category",
    "fleiss_kappa",
    "get_emotion_model",
    "get_emotion_space",
    "krippendorff_alpha",
    "label_distribution",
    "majority_vote",
    "rescale_ratings",
    "traces_to_windows",
]
