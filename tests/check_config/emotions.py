"""Common-check settings of skmer.emotions' estimators."""

from skmer.emotions import (
    CategoricalEmotionRegressor,
    DimensionalEmotionClassifier,
    DimensionalEmotionSpace,
)

# sklearn's checks use the labels 0, 1, 2 (and -1 / "one", "two", "three"):
# give them prototype points so that the CES -> DES mapping knows them.
_CHECK_COORDS = {
    -1: (-0.6, 0.2, 0.0),
    0: (-0.5, 0.5, 0.2),
    1: (0.6, 0.4, 0.3),
    2: (0.0, -0.6, -0.2),
    3: (0.5, -0.4, 0.4),
    "one": (-0.5, 0.5, 0.2),
    "two": (0.6, 0.4, 0.3),
    "three": (0.0, -0.6, -0.2),
}
_LINE = DimensionalEmotionSpace(("valence",))

INSTANCES = {
    "DimensionalEmotionClassifier": [
        DimensionalEmotionClassifier(coordinates=_CHECK_COORDS, space="vad")
    ],
    "CategoricalEmotionRegressor": [
        CategoricalEmotionRegressor(
            space=_LINE, coordinates={"low": [-1.0], "mid": [0.0], "high": [1.0]}
        )
    ],
}

EXPECTED_FAILED = {}
