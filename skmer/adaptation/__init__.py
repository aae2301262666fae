"""Domain adaptation, label scarcity and class imbalance for multimodal data.

Domains follow skada's convention: ``sample_domain`` metadata, positive for
(labelled) source rows and negative for (unlabelled) target rows, routed with
scikit-learn's metadata routing (``set_fit_request(sample_domain=True)``).
Every estimator here keeps missing modalities missing (all-NaN blocks).
"""

from skmer.adaptation._alignment import (
    DomainAdaptationClassifier,
    DomainAdaptationRegressor,
    ModalityAligner,
)
from skmer.adaptation._cotraining import (
    CoTrainingClassifier,
    SelfTrainingFusionClassifier,
)
from skmer.adaptation._dann import DANNClassifier
from skmer.adaptation._domain import check_sample_domain
from skmer.adaptation._evaluation import cross_corpus_score
from skmer.adaptation._personalization import (
    PersonalizedClassifier,
    PersonalizedRegressor,
)
from skmer.adaptation._sampling import ModalitySMOTE

__all__ = [
    "CoTrainingClassifier",
    "DANNClassifier",
    "DomainAdaptationClassifier",
    "DomainAdaptationRegressor",
    "ModalityAligner",
    "ModalitySMOTE",
    "PersonalizedClassifier",
    "PersonalizedRegressor",
    "SelfTrainingFusionClassifier",
    "check_sample_domain",
    "cross_corpus_score",
]
