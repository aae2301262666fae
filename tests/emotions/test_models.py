"""Emotion schemes, spaces and the CES <-> DES mapping."""

import numpy as np
import pytest

from skmer.emotions import (
    CategoricalEmotionModel,
    DimensionalEmotionSpace,
    EmotionMapping,
    category_to_dimensions,
    default_coordinates,
    dimensions_to_category,
    get_emotion_model,
    get_emotion_space,
)

SCHEMES = [
    "binary_sentiment",
    "ternary_sentiment",
    "ekman",
    "mikels",
    "plutchik",
    "parrott",
]


def test_scheme_sizes_and_polarity():
    assert len(get_emotion_model("ekman").categories) == 6
    assert len(get_emotion_model("mikels").categories) == 8
    plutchik = get_emotion_model("plutchik")
    assert len(plutchik.categories) == 24 and len(plutchik.names("primary")) == 8
    parrott = get_emotion_model("parrott")
    assert len(parrott.names("primary")) == 6
    assert len(parrott.names("secondary")) == 25
    mikels = get_emotion_model("mikels")
    pol = dict(zip(mikels.categories, mikels.polarity(mikels.categories)))
    assert {c for c, p in pol.items() if p == "positive"} == {
        "amusement",
        "awe",
        "contentment",
        "excitement",
    }
    assert get_emotion_model("ekman").names("polarity") == (
        "negative",
        "neutral",
        "positive",
    )


def test_parrott_tree_and_plutchik_intensity():
    parrott = get_emotion_model("parrott")
    assert parrott.coarsen(
        ["rage", "irritation"], "primary", from_level="secondary"
    ).tolist() == ["anger", "anger"]
    assert parrott.coarsen(["fury"], "secondary").tolist() == ["rage"]
    assert parrott.coarsen(["homesickness"], "secondary")[0] == "neglect"
    assert parrott.coarsen(["homesickness"], "primary")[0] == "sadness"
    assert parrott.polarity(["homesickness", "bliss"]).tolist() == [
        "negative",
        "positive",
    ]
    plutchik = get_emotion_model("plutchik")
    assert plutchik.coarsen(["terror", "apprehension"], "primary").tolist() == [
        "fear",
        "fear",
    ]
    assert plutchik.intensity(["rage", "anger", "annoyance"]).tolist() == [3, 2, 1]


def test_scheme_errors():
    ekman = get_emotion_model("ekman")
    with pytest.raises(ValueError, match="not a 'category'-level category"):
        ekman.coarsen(["joyful"])
    with pytest.raises(ValueError, match="level='tertiary' is not a level"):
        ekman.coarsen(["anger"], "tertiary")
    with pytest.raises(ValueError, match="finer than"):
        get_emotion_model("parrott").coarsen(["joy"], "secondary", from_level="primary")
    with pytest.raises(ValueError, match="no intensity levels"):
        ekman.intensity(["anger"])
    with pytest.raises(ValueError, match="model='ekmann' is not a known"):
        get_emotion_model("ekmann")
    with pytest.raises(ValueError, match="space='pad' is not a known"):
        get_emotion_space("pad")
    with pytest.raises(ValueError, match="not names of level"):
        CategoricalEmotionModel("x", {"a": {"x": "nope"}, "b": {"y": "positive"}})


def test_custom_model_and_space():
    m = CategoricalEmotionModel(
        "mine", {"category": {"calm": "positive", "tense": "negative"}}
    )
    assert m.polarity(["calm"]).tolist() == ["positive"]
    space = DimensionalEmotionSpace(("valence", "arousal"))
    with pytest.raises(ValueError, match=r"shape \(n_samples, 2\)"):
        space.check([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="outside from_range"):
        space.rescale([[0, 5]], from_range=(1, 9))


def test_coordinates_have_the_published_signs():
    c = default_coordinates("ekman")
    # anger: unpleasant, aroused, dominant; fear: unpleasant, aroused, submissive
    assert c["anger"][0] < 0 and c["anger"][1] > 0 and c["anger"][2] > 0
    assert c["fear"][0] < 0 and c["fear"][1] > 0 and c["fear"][2] < 0
    assert c["sadness"][0] < 0 and c["sadness"][1] < 0
    assert c["happiness"][0] > 0 and c["happiness"][1] > 0
    mikels = default_coordinates("mikels")
    assert mikels["contentment"][1] < 0 < mikels["excitement"][1]
    # every built-in prototype lies in the space
    for scheme in SCHEMES:
        pts = np.array(list(default_coordinates(scheme).values()))
        assert np.all(np.abs(pts) <= 1)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("space", ["va", "vad"])
def test_round_trip_on_prototypes(scheme, space):
    mapping = EmotionMapping(scheme, space=space)
    points = mapping.to_dimensions(mapping.categories)
    labels, confidence = mapping.to_categories(points)
    assert labels.tolist() == mapping.categories.tolist()
    assert np.all(confidence > 1 / len(mapping.categories))


def test_des_to_ces_confidence_and_regions():
    labels, conf = dimensions_to_category(
        [[0.8, 0.5, 0.45], [0.0, 0.06, 0.02]], "ekman"
    )
    assert labels[0] == "happiness" and conf[0] > 0.9
    # a point far from every prototype is assigned with low confidence
    assert conf[1] < conf[0]
    labels, _ = dimensions_to_category(
        [[0.3], [-0.1], [0.1]],
        "ternary_sentiment",
        space=DimensionalEmotionSpace(("valence",)),
    )
    assert labels.tolist() == ["positive", "neutral", "neutral"]
    labels, _ = dimensions_to_category(
        [[0.01, 0.9], [-0.01, -0.9]], "binary_sentiment", space="va"
    )
    assert labels.tolist() == ["positive", "negative"]


def test_ces_to_des_and_mapping_errors():
    assert category_to_dimensions(["anger"], space="va").shape == (1, 2)
    with pytest.raises(ValueError, match=r"Labels \['joyful'\] have no coordinates"):
        category_to_dimensions(["joyful"])
    with pytest.raises(ValueError, match="share one prototype"):
        EmotionMapping("parrott", level="tertiary").to_categories([[0, 0, 0]])
    # finer Parrott levels inherit their primary's point (CES -> DES works)
    pts = category_to_dimensions(["glee", "joy"], "parrott", level="tertiary")
    np.testing.assert_array_equal(pts[0], pts[1])
    with pytest.raises(ValueError, match=r"coordinates\['a'\] must be 2 finite"):
        EmotionMapping(coordinates={"a": [0.0]}, space="va")
    with pytest.raises(ValueError, match="temperature must be a positive"):
        EmotionMapping(temperature=0)
    custom = CategoricalEmotionModel("mine", {"category": {"calm": "positive"}})
    with pytest.raises(ValueError, match="no built-in coordinate table"):
        EmotionMapping(custom)
    m = EmotionMapping(custom, coordinates={"calm": (0.5, -0.5, 0.1)}, space="va")
    assert m.to_categories([[0.4, -0.4]])[0].tolist() == ["calm"]
