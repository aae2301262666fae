import numpy as np
import pytest

from skmer.encoders import SkeletonEncoder
from skmer.utils.estimator_checks import parametrize_with_encoder_checks

_RNG = np.random.RandomState(0)
POSE = _RNG.normal(size=(5, 3))
SEQS = [POSE + 0.1 * _RNG.normal(size=(3 + i, 5, 3)).cumsum(0) for i in range(7)]


@parametrize_with_encoder_checks(
    [
        (SkeletonEncoder(angles=[(0, 1, 2)]), SEQS),
        (
            SkeletonEncoder(covariance=False, stats=["min", "max"]),
            [s[..., :2] for s in SEQS],
        ),
    ]
)
def test_encoder_checks(encoder, items, y, check):
    check(encoder, items, y)


def _features(enc, items):
    return [dict(zip(enc.get_feature_names_out(), row)) for row in enc.transform(items)]


def test_constant_translation_has_that_velocity_and_zero_acceleration():
    v = np.array([0.3, -0.1, 0.2])  # units per second
    fps = 20.0
    walk = POSE + v * np.arange(40)[:, None, None] / fps
    enc = SkeletonEncoder(fps=fps).fit([walk])
    z = _features(enc, [walk])[0]
    for axis, value in zip("xyz", v):
        assert z[f"centroid_velocity_{axis}"] == pytest.approx(value)
    assert z["speed_mean"] == pytest.approx(np.linalg.norm(v))
    assert z["speed_std"] == pytest.approx(0.0, abs=1e-9)
    assert z["acceleration_max"] == pytest.approx(0.0, abs=1e-9)
    assert z["jerk_max"] == pytest.approx(0.0, abs=1e-9)
    # a rigid translation leaves the posture unchanged
    assert z["std_radius_j0"] == pytest.approx(0.0, abs=1e-9)
    assert z["std_bbox_volume"] == pytest.approx(0.0, abs=1e-9)


def test_constant_acceleration_and_posture():
    a = 2.0
    fps = 10.0
    t = np.arange(30) / fps
    pose = np.array([[0.0, 0.0], [0.0, 2.0], [1.0, 2.0]])
    seq = pose + np.c_[0.5 * a * t**2, np.zeros_like(t)][:, None, :]
    enc = SkeletonEncoder(fps=fps, angles=[(0, 1, 2)]).fit([seq])
    z = _features(enc, [seq])[0]
    assert z["acceleration_mean"] == pytest.approx(a)
    assert z["jerk_max"] == pytest.approx(0.0, abs=1e-9)
    assert z["mean_angle_0_1_2"] == pytest.approx(90.0)
    assert z["mean_extent_y"] == pytest.approx(2.0) and z[
        "mean_bbox_volume"
    ] == pytest.approx(2.0)
    n_cov = sum(name.startswith("cov_") for name in enc.get_feature_names_out())
    assert n_cov == 6 * 7 // 2


def test_covariance_descriptor_values_and_short_sequences():
    seq = SEQS[0]
    enc = SkeletonEncoder(stats=["mean"]).fit([seq])
    z = _features(enc, [seq])[0]
    cov = np.cov(seq.reshape(len(seq), -1), rowvar=False, bias=True)
    assert z["cov_0_4"] == pytest.approx(cov[0, 4])
    one = _features(enc, [seq[:1]])[0]
    assert one["speed_mean"] == 0 and one["jerk_mean"] == 0 and one["cov_0_0"] == 0


def test_skeleton_errors():
    with pytest.raises(ValueError, match="Item 0 has 4 coordinates per joint"):
        SkeletonEncoder().fit([np.zeros((3, 5, 4))])
    with pytest.raises(ValueError, match="angles: bad joint triplet"):
        SkeletonEncoder(angles=[(0, 1, 9)]).fit([SEQS[0]])
    with pytest.raises(ValueError, match="Present item 1 has poses of shape"):
        SkeletonEncoder().fit([SEQS[0], SEQS[1][:, :4]])
    enc = SkeletonEncoder().fit([SEQS[0]])
    with pytest.raises(ValueError, match="the encoder was fitted on \\(5, 3\\)"):
        enc.transform([SEQS[0][..., :2]])


def test_non_integer_joint_in_angles_is_rejected():
    # regression: int(1.5) passed the check, then numpy raised an IndexError
    with pytest.raises(ValueError, match="angles: bad joint triplet"):
        SkeletonEncoder(angles=[(0, 1.5, 2)]).fit_transform([SEQS[0]])


def test_overflowing_item_is_reported_not_encoded_as_inf():
    enc = SkeletonEncoder().fit(SEQS)
    huge = SEQS[0] * 1e300
    with pytest.raises(ValueError, match="SkeletonEncoder: item 1 gives non-finite"):
        enc.transform([None, huge])
