import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from skmer.encoders import FaceEncoder
from skmer.encoders._face import IBUG68_FEATURES
from skmer.utils.estimator_checks import parametrize_with_encoder_checks


def face_template():
    """A 68-point face with eye centres at (-1, 0) and (1, 0): inter-ocular distance 2."""
    rng = np.random.RandomState(0)
    L = rng.uniform(-1, 1, size=(68, 2))
    L[36:42] = [
        [-1.4, 0],
        [-1.2, -0.2],
        [-0.8, -0.2],
        [-0.6, 0],
        [-0.8, 0.2],
        [-1.2, 0.2],
    ]
    L[42:48] = L[36:42] + [2.0, 0.0]
    L[19], L[24] = [-1.0, -0.8], [1.0, -0.8]
    L[21], L[22] = [-0.3, -0.7], [0.3, -0.7]
    L[48], L[54] = [-0.8, 1.6], [0.8, 1.6]
    L[50], L[58], L[52], L[56] = [-0.3, 1.4], [-0.3, 1.8], [0.3, 1.4], [0.3, 1.8]
    L[51], L[57] = [0.0, 1.4], [0.0, 1.8]
    L[62], L[66] = [0.0, 1.55], [0.0, 1.65]
    L[33], L[27], L[8] = [0.0, 1.0], [0.0, 0.0], [0.0, 2.6]
    return L


def transformed(L, angle_deg=0.0, scale=1.0, shift=(0.0, 0.0)):
    a = np.radians(angle_deg)
    R = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return scale * L @ R.T + np.asarray(shift)


_RNG = np.random.RandomState(1)
LANDMARK_SEQS = [
    np.stack(
        [
            transformed(
                face_template(),
                _RNG.normal(),
                50 + _RNG.rand(),
                _RNG.normal(size=2) * 10,
            )
            for _ in range(2 + i % 4)
        ]
    )
    for i in range(7)
]
AU_TABLES = [
    pd.DataFrame(
        _RNG.uniform(0, 5, size=(3 + i, 3)), columns=["AU01_r", "AU06_r", "AU12_r"]
    )
    for i in range(7)
]
BOTH = [{"landmarks": lm, "aus": au} for lm, au in zip(LANDMARK_SEQS, AU_TABLES)]


@parametrize_with_encoder_checks(
    [
        (FaceEncoder(), LANDMARK_SEQS),
        (FaceEncoder(stats=["mean", "max", "slope"]), AU_TABLES),
        (FaceEncoder(source="both"), BOTH),
        (FaceEncoder(landmark_scheme="generic"), [s[:, :5] for s in LANDMARK_SEQS]),
    ]
)
def test_encoder_checks(encoder, items, y, check):
    check(encoder, items, y)


def _features(enc, items):
    return [dict(zip(enc.get_feature_names_out(), row)) for row in enc.transform(items)]


def test_geometry_known_and_invariant_to_pose():
    L = face_template()
    enc = FaceEncoder(stats=["mean"]).fit([L])
    base = _features(enc, [L])[0]
    # distances in inter-ocular units (IOD = 2 in the template)
    assert base["mean_mouth_width"] == pytest.approx(0.8)
    assert base["mean_mouth_open"] == pytest.approx(0.05)
    assert base["mean_lip_height"] == pytest.approx(0.2)
    assert base["mean_brow_gap"] == pytest.approx(0.3)
    assert base["mean_eye_open_right"] == pytest.approx(0.2)
    assert base["mean_brow_raise_left"] == pytest.approx(0.4)
    assert base["mean_smile"] == pytest.approx(0.0)
    assert base["mean_head_roll"] == pytest.approx(0.0)
    moved = _features(enc, [transformed(L, 20.0, 3.0, (5.0, -2.0))])[0]
    for name in IBUG68_FEATURES:
        expected = 20.0 if name == "head_roll" else base[f"mean_{name}"]
        assert moved[f"mean_{name}"] == pytest.approx(expected, abs=1e-9), name


def test_smile_and_dynamics():
    L = face_template()
    smiling = L.copy()
    smiling[[48, 54], 1] -= 0.4  # corners up (image y points down) by 0.2 IOD
    enc = FaceEncoder(fps=10.0).fit([L[None]])
    z = _features(enc, [np.stack([L, smiling])])[0]
    assert z["mean_smile"] == pytest.approx(0.1)
    assert z["std_smile"] == pytest.approx(0.1)
    # two of 68 landmarks move 0.2 IOD between frames at 10 fps
    assert z["landmark_speed_mean"] == pytest.approx(2 * 0.2 / 68 * 10)


def test_au_statistics_and_openface_csv(tmp_path):
    frame = pd.DataFrame(
        {
            "frame": [1, 2, 3, 4],
            " AU06_r": [0.0, 1.0, 3.0, 2.0],
            " AU06_c": [0, 1, 1, 1],
            " AU12_r": [0.5, 0.5, 0.5, 0.5],
        }
    )
    for k in range(68):
        frame[f" x_{k}"], frame[f" y_{k}"] = face_template()[k]
    frame.to_csv(tmp_path / "openface.csv", index=False)
    enc = FaceEncoder(fps=2.0, au_threshold=1.0).fit([str(tmp_path / "openface.csv")])
    assert enc.source_ == ("landmarks", "aus") and enc.au_names_ == ["AU06", "AU12"]
    z = _features(enc, [str(tmp_path / "openface.csv")])[0]
    assert z["AU06_mean"] == 1.5 and z["AU06_max"] == 3.0
    assert z["AU06_active"] == 0.75 and z["AU12_active"] == 0.0
    assert z["AU06_speed"] == pytest.approx((1 + 2 + 1) / 3 * 2.0)
    assert z["AU06_std"] == pytest.approx(np.std([0, 1, 3, 2]))
    assert z["mean_mouth_width"] == pytest.approx(0.8)
    assert z["landmark_speed_mean"] == 0.0
    pyfeat = pd.DataFrame({"AU06": [0.1, 0.9], "AU12": [0.2, 0.2]})
    z2 = _features(FaceEncoder(au_threshold=0.5).fit([pyfeat]), [pyfeat])[0]
    assert z2["AU06_active"] == 0.5


def test_face_errors():
    with pytest.raises(ValueError, match="holds neither landmarks nor action-unit"):
        FaceEncoder().fit([pd.DataFrame({"a": [1.0]})])
    with pytest.raises(ValueError, match="landmarks have 3 coordinates"):
        FaceEncoder().fit([np.zeros((2, 68, 3))])
    with pytest.raises(ValueError, match="landmark_scheme='ibug68' needs 68 landmarks"):
        FaceEncoder(landmark_scheme="ibug68").fit([np.ones((5, 2))])
    enc = FaceEncoder().fit([face_template()])
    with pytest.raises(ValueError, match="does not hold 68 landmarks"):
        enc.transform([np.ones((1, 5, 2))])
    with pytest.raises(ValueError, match="Present item 1 does not hold the AUs"):
        FaceEncoder().fit([AU_TABLES[0], AU_TABLES[1][["AU01_r"]]])
    assert_allclose(enc.transform([None]), np.full((1, enc.n_features_out_), np.nan))


def test_two_columns_of_one_action_unit_are_rejected():
    # regression: with both AU01_r and AU01 the last column silently won
    au = pd.DataFrame({"AU01_r": [1.0, 2.0], "AU01": [0.0, 1.0]})
    with pytest.raises(
        ValueError, match="columns 'AU01_r' and 'AU01' both hold the intensity of AU01"
    ):
        FaceEncoder().fit([au])


def test_transform_error_counts_missing_items():
    # regression: the landmark-count check ran on the present items only and
    # named item 0 for the second item
    enc = FaceEncoder().fit(LANDMARK_SEQS[:2])
    with pytest.raises(ValueError, match="Item 1 does not hold 68 landmarks"):
        enc.transform([None, LANDMARK_SEQS[0][:, :20]])
    assert (
        FaceEncoder()
        .fit(LANDMARK_SEQS[:1])
        .fit([LANDMARK_SEQS[0][:, :20]])
        .n_landmarks_
        == 20
    )


def _aus(values):
    return pd.DataFrame(np.asarray(values, dtype=float), columns=["AU06_r", "AU12_r"])


def test_au_table_inf_empty_and_overflow_are_reported():
    enc = FaceEncoder().fit([_aus([[0, 1], [2, 1]])])
    with pytest.raises(
        ValueError,
        match=r"Item 1: AU intensities contain infinity \(column 'AU12_r', frame 1\)",
    ):
        enc.transform([None, _aus([[0, 1], [2, np.inf]])])
    with pytest.raises(ValueError, match=r"Item 0: AU intensities contain NaN"):
        enc.transform([_aus([[np.nan, 1]])])
    with pytest.raises(ValueError, match="Item 0: the action-unit table has no rows"):
        enc.transform([_aus(np.zeros((0, 2)))])
    with pytest.raises(
        ValueError, match="FaceEncoder: item 0 gives non-finite features"
    ):
        enc.transform([_aus([[1e300, 1], [-1e300, 1]])])
