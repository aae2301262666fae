import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_validate
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from skmer.compose import ModalityEncoder
from skmer.datasets import make_multimodal_classification
from skmer.encoders import SequencePooling, VectorEncoder
from skmer.fusion import (
    EarlyFusionClassifier,
    HybridFusionClassifier,
    LateFusionClassifier,
)


@pytest.fixture
def raw():
    X, y = make_multimodal_classification(
        n_samples=120, output="sequences", missing_rate=0.3, random_state=0
    )
    X["transcript"] = [
        None if i % 7 == 0 else ("good great" if label else "bad awful") + " film"
        for i, label in enumerate(y)
    ]
    return X, y


def _encoder(**kw):
    return ModalityEncoder(
        [
            ("text", SequencePooling()),
            ("audio", make_pipeline(SequencePooling(), StandardScaler())),
            ("video", SequencePooling(stats=["mean"])),
            (
                "words",
                make_pipeline(TfidfVectorizer(), TruncatedSVD(2, random_state=0)),
                "transcript",
            ),
        ],
        **kw,
    )


def test_output_layout_and_missing_rows(raw):
    X, y = raw
    enc = _encoder()
    Z = enc.fit_transform(X, y)
    assert list(enc.modalities_) == ["text", "audio", "video", "words"]
    assert Z.shape == (120, 40 + 20 + 15 + 2)
    assert list(Z.columns[:2]) == ["text__mean_0", "text__mean_1"]
    assert list(Z.columns[-2:]) == ["words__truncatedsvd0", "words__truncatedsvd1"]
    assert_allclose(Z.filter(like="text__").isna().all(axis=1), X["text"].isna())
    assert_allclose(Z.filter(like="words__").isna().all(axis=1), X["transcript"].isna())
    assert (Z.index == X.index).all()
    assert list(enc.get_feature_names_out()) == list(Z.columns)
    assert_allclose(enc.transform(X).to_numpy(), Z.to_numpy())


def test_encoder_fitted_on_present_rows_only():
    X = pd.DataFrame({"m": [np.array([1.0]), None, np.array([3.0]), np.nan]})
    enc = ModalityEncoder({"m": StandardScaler()}).fit(X)
    assert enc.named_encoders_["m"].mean_.tolist() == [2.0]
    assert enc.named_encoders_["m"].n_samples_seen_ == 2


def test_drop_and_passthrough(raw):
    X, _ = raw
    X = X.assign(score=np.arange(120.0))
    enc = ModalityEncoder(
        {"text": "drop", "video": SequencePooling(), "score": "passthrough"}
    )
    Z = enc.fit_transform(X)
    assert list(enc.modalities_) == ["video", "score"]
    assert_allclose(Z["score__0"], np.arange(120.0))


def test_dict_and_nested_params_in_grid_search(raw):
    X, y = raw
    pipe = Pipeline([("encode", _encoder()), ("fuse", LateFusionClassifier())])
    assert pipe.get_params()["encode__video__stats"] == ["mean"]
    pipe.set_params(
        encode__video__stats=["mean", "max"],
        encode__text=SequencePooling(stats=["max"]),
    )
    assert pipe.named_steps["encode"].encoders[0][1].stats == ["max"]
    groups = np.arange(120) % 6
    search = GridSearchCV(
        pipe,
        {
            "fuse": [
                EarlyFusionClassifier(),
                LateFusionClassifier(),
                HybridFusionClassifier(),
            ],
            "encode__words__truncatedsvd__n_components": [2, 3],
        },
        cv=GroupKFold(3),
    )
    search.fit(X, y, groups=groups)
    assert search.best_score_ > 0.6
    assert search.predict(X).shape == (120,)


def test_dict_form_set_params():
    enc = ModalityEncoder({"a": StandardScaler(), "b": "drop"})
    enc.set_params(a__with_mean=False, b=StandardScaler())
    assert enc.encoders["a"].with_mean is False
    assert isinstance(enc.encoders["b"], StandardScaler)


def test_cross_validate_with_n_jobs(raw):
    X, y = raw
    pipe = Pipeline([("encode", _encoder(n_jobs=2)), ("fuse", EarlyFusionClassifier())])
    res = cross_validate(pipe, X, y, cv=3)
    assert res["test_score"].mean() > 0.6


def test_imblearn_pipeline_with_sampler_after_encoder(raw):
    from imblearn.over_sampling import RandomOverSampler
    from imblearn.pipeline import Pipeline as ImbPipeline

    X, y = raw
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:20]]
    X, y = X.iloc[keep].reset_index(drop=True), y[keep]
    pipe = ImbPipeline(
        [
            ("encode", _encoder()),
            ("sample", RandomOverSampler(random_state=0)),
            ("fuse", LateFusionClassifier()),
        ]
    )
    pipe.fit(X, y)
    assert pipe.predict(X).shape == (len(y),)


def test_pickle_round_trip(raw):
    X, y = raw
    pipe = Pipeline([("encode", _encoder()), ("fuse", LateFusionClassifier())]).fit(
        X, y
    )
    assert_allclose(
        pickle.loads(pickle.dumps(pipe)).predict_proba(X), pipe.predict_proba(X)
    )


def test_error_unknown_column(raw):
    X, _ = raw
    with pytest.raises(
        ValueError, match="Column 'face' of modality 'face' is not in X"
    ):
        ModalityEncoder({"face": SequencePooling()}).fit(X)


def test_error_missing_everywhere():
    X = pd.DataFrame({"m": [None, np.nan, None]})
    with pytest.raises(
        ValueError, match="Modality 'm' .* is missing in every training row"
    ):
        ModalityEncoder({"m": VectorEncoder()}).fit(X)


def test_error_mixed_cell_types():
    X = pd.DataFrame({"m": [np.ones(2), "oops", None]})
    with pytest.raises(
        TypeError, match="Modality 'm': cells mix types; row 1 holds a string"
    ):
        ModalityEncoder({"m": VectorEncoder()}).fit(X)


def test_error_wrong_cell_shape_names_modality():
    X = pd.DataFrame({"m": [np.ones((3, 2)), np.ones((4, 3))]})
    with pytest.raises(
        ValueError, match="Modality 'm': Items have different feature dimensions"
    ):
        ModalityEncoder({"m": SequencePooling()}).fit(X)


def test_error_not_a_transformer():
    X = pd.DataFrame({"m": [np.ones(2)] * 3})
    with pytest.raises(
        TypeError, match="encoder of modality 'm' must be a transformer"
    ):
        ModalityEncoder({"m": LateFusionClassifier()}).fit(X)


def test_error_not_a_dataframe():
    with pytest.raises(TypeError, match="takes the raw multimodal DataFrame"):
        ModalityEncoder({"m": VectorEncoder()}).fit(np.ones((3, 2)))


def test_error_encoder_output_with_partial_nan():
    def poke(Z):
        Z = np.array(Z, dtype=float)
        Z[0, 0] = np.nan
        return Z

    X = pd.DataFrame({"m": [np.ones(2), np.zeros(2), None]})
    with pytest.raises(
        ValueError, match=r"modality 'm' produced NaN .* present rows \[0\]"
    ):
        ModalityEncoder({"m": FunctionTransformer(poke)}).fit_transform(X)
    fixed = ModalityEncoder(
        {"m": make_pipeline(FunctionTransformer(poke), SimpleImputer())}
    )
    assert fixed.fit_transform(X).shape == (3, 2)


def test_transform_width_mismatch_is_reported():
    X = pd.DataFrame({"m": [np.ones(2), np.zeros(2)]})
    enc = ModalityEncoder({"m": "passthrough"}).fit(X)
    with pytest.raises(ValueError, match="Modality 'm'"):
        enc.transform(pd.DataFrame({"m": [np.ones(3)]}))


def test_error_names_the_dataframe_row_of_a_bad_cell():
    # regression: the encoder's "Item 2" counts present cells only
    X = pd.DataFrame(
        {"m": [None, np.ones(3), np.ones(3), np.array([1.0, np.inf, 2.0])]},
        index=[10, 20, 30, 40],
    )
    with pytest.raises(
        ValueError, match=r"Modality 'm': Item 2 \(row 40 of X\) contains NaN"
    ):
        ModalityEncoder({"m": VectorEncoder()}).fit(X)
    enc = ModalityEncoder({"m": VectorEncoder()}).fit(X.iloc[:3])
    with pytest.raises(
        ValueError, match=r"Modality 'm': Item 0 \(row 30 of X\) has 2 features"
    ):
        enc.transform(pd.DataFrame({"m": [None, np.ones(2)]}, index=[20, 30]))
    # the row is named at the source, also in a joblib worker
    with pytest.raises(ValueError, match=r"Item 2 \(row 40 of X\) contains NaN"):
        ModalityEncoder({"m": VectorEncoder(), "n": VectorEncoder()}, n_jobs=2).fit(
            X.assign(n=[np.ones(2)] * 4)
        )


def test_encoder_alone_numbers_items_by_position():
    with pytest.raises(ValueError, match=r"Item 1 contains NaN"):
        VectorEncoder().fit([np.ones(2), np.array([1.0, np.nan])])


def test_error_of_any_transformer_names_modality_and_keeps_kind():
    X = pd.DataFrame({"t": ["a b", "c d", None]})
    with pytest.raises(ValueError, match="Modality 't': .*empty vocabulary"):
        ModalityEncoder({"t": TfidfVectorizer(stop_words=["a", "b", "c", "d"])}).fit(X)


def test_iter_yields_named_entries_without_dropped_modalities():
    enc = ModalityEncoder(
        [("m", VectorEncoder()), ("gone", "drop"), ("v", VectorEncoder(), "col")]
    )
    entries = enc._iter(fitted=False)
    assert [(e.name, e.column) for e in entries] == [("m", "m"), ("v", "col")]
    X = pd.DataFrame(
        {"m": [np.ones(2)] * 3, "gone": [1, 2, 3], "col": [np.zeros(3)] * 3}
    )
    enc.fit(X)
    fitted = enc._iter(fitted=True)
    assert [e.name for e in fitted] == ["m", "v"]
    assert fitted[1].encoder is enc.named_encoders_["v"]


def test_html_repr_draws_modality_encoders_in_parallel():
    enc = ModalityEncoder({"text": TfidfVectorizer(), "audio": VectorEncoder()})
    block = enc._sk_visual_block_()
    assert block.kind == "parallel"
    assert list(block.names) == ["text", "audio"]
    html = enc._repr_html_()
    assert "TfidfVectorizer" in html and "VectorEncoder" in html


def test_error_y_of_another_length():
    X = pd.DataFrame({"m": [np.ones(2), None, np.zeros(2)]})
    with pytest.raises(ValueError, match="y has 2 entries for 3 rows of X"):
        ModalityEncoder({"m": VectorEncoder()}).fit(X, [0, 1])


def test_error_modality_name_not_a_string():
    X = pd.DataFrame({0: [np.ones(2), None]})
    with pytest.raises(
        TypeError, match=r"Modality names must be strings; got 0 \(int\)"
    ):
        ModalityEncoder({0: VectorEncoder()}).fit(X)
    Z = ModalityEncoder([("m0", VectorEncoder(), 0)]).fit_transform(X)
    assert list(Z.columns) == ["m0__0", "m0__1"]


def test_error_duplicated_column_name():
    X = pd.DataFrame([[np.ones(2), np.ones(2)], [None, np.ones(2)]], columns=["m", "m"])
    with pytest.raises(ValueError, match="Column 'm' appears 2 times in X"):
        ModalityEncoder({"m": VectorEncoder()}).fit(X)


@pytest.mark.parametrize("bad", [np.array([np.nan, np.nan]), np.array([1.0, np.inf])])
def test_passthrough_rejects_non_finite_cells(bad):
    # regression: an all-NaN vector was silently read as a missing modality and
    # infinity was passed on
    X = pd.DataFrame({"m": [np.ones(2), bad, None]}, index=[5, 6, 7])
    with pytest.raises(
        ValueError,
        match=r"'passthrough' and holds NaN or infinity in present rows \[6\]",
    ):
        ModalityEncoder({"m": "passthrough"}).fit(X)


def test_error_encoder_output_with_infinity():
    X = pd.DataFrame({"m": [1.0, 0.0, None]})
    inv = FunctionTransformer(lambda Z: np.where(np.asarray(Z) == 0, np.inf, Z))
    with pytest.raises(
        ValueError,
        match=r"modality 'm' produced infinite values for present rows \[1\]",
    ):
        ModalityEncoder({"m": inv}).fit_transform(X)


def test_error_of_a_class_with_a_richer_constructor_keeps_its_message():
    # regression: re-raising UnicodeDecodeError(message) failed with
    # "TypeError: function takes exactly 5 arguments (1 given)"
    def decode(Z):
        b"\xff".decode("utf-8")

    X = pd.DataFrame({"m": [1.0, 2.0]})
    with pytest.raises(ValueError, match="Modality 'm': 'utf-8' codec can't decode"):
        ModalityEncoder({"m": FunctionTransformer(decode)}).fit(X)
