import numpy as np
import pandas as pd
import pytest

from skmer.encoders import GazeEncoder
from skmer.utils.estimator_checks import parametrize_with_encoder_checks

HZ = 100


def gaze_trace(seconds=10.0, n_blinks=5, blink=0.15, n_saccades=4, pupil=True, seed=0):
    """Fixations at positions 10 deg apart, ``n_blinks`` tracker losses of ``blink`` s."""
    rng = np.random.RandomState(seed)
    t = np.arange(0, seconds, 1 / HZ)
    segment = np.minimum((t / seconds * (n_saccades + 1)).astype(int), n_saccades)
    x = 10.0 * segment + 0.01 * rng.normal(size=t.size)
    y = 0.01 * rng.normal(size=t.size)
    p = 3.0 + 0.001 * t
    for k in range(n_blinks):
        start = int((k + 0.7) * t.size / (n_blinks + 1))
        x[start : start + int(blink * HZ)] = np.nan
        y[start : start + int(blink * HZ)] = np.nan
    cols = [t, x, y] + ([p] if pupil else [])
    return np.column_stack(cols)


TRACES = [
    gaze_trace(2 + i, n_blinks=i % 3, n_saccades=1 + i % 2, seed=i) for i in range(7)
]


@parametrize_with_encoder_checks(
    [
        (GazeEncoder(), TRACES),
        (GazeEncoder(pupil=False, velocity_threshold=50), [tr[:, :3] for tr in TRACES]),
    ]
)
def test_encoder_checks(encoder, items, y, check):
    check(encoder, items, y)


def _features(enc, items):
    return [dict(zip(enc.get_feature_names_out(), row)) for row in enc.transform(items)]


def test_five_blinks_give_five():
    trace = gaze_trace(n_blinks=5)
    enc = GazeEncoder().fit([trace])
    z = _features(enc, [trace])[0]
    assert z["blink_count"] == 5
    assert z["blink_rate"] == pytest.approx(30.0)  # 5 blinks in 10 s
    assert z["blink_duration_mean"] == pytest.approx(0.15)
    assert z["missing_fraction"] == pytest.approx(5 * 15 / 1000)


def test_short_and_long_losses_are_not_blinks():
    trace = gaze_trace(n_blinks=0)
    trace[100:102, 1] = np.nan  # 20 ms: noise
    trace[300:400, 1] = np.nan  # 1 s: track loss
    z = _features(GazeEncoder().fit([trace]), [trace])[0]
    assert z["blink_count"] == 0


def test_fixations_saccades_and_pupil():
    trace = gaze_trace(n_blinks=0, n_saccades=4)
    z = _features(GazeEncoder().fit([trace]), [trace])[0]
    assert z["saccade_count"] == 4 and z["fixation_count"] == 5
    assert z["saccade_amplitude_mean"] == pytest.approx(10.0, abs=0.1)
    assert z["saccade_peak_velocity_mean"] == pytest.approx(10.0 * HZ, rel=0.02)
    assert z["fixation_duration_mean"] == pytest.approx(2.0, abs=0.02)
    assert z["duration"] == pytest.approx(10.0)
    assert z["pupil_mean"] == pytest.approx(3.005, abs=1e-3)
    assert z["pupil_slope"] == pytest.approx(0.001, rel=1e-6)


def test_dataframe_items_and_pupil_option():
    trace = gaze_trace()
    frame = pd.DataFrame(trace, columns=["t", "x", "y", "pupil"])
    enc = GazeEncoder().fit([frame])
    assert enc.pupil_ and np.allclose(
        enc.transform([frame]), enc.transform([trace]), equal_nan=True
    )
    no_pupil = GazeEncoder(pupil=False).fit([trace])
    assert "pupil_mean" not in no_pupil.get_feature_names_out()
    with pytest.raises(ValueError, match="pupil features need a pupil column"):
        GazeEncoder(pupil=True).fit([trace[:, :3]])


def test_gaze_errors():
    trace = gaze_trace()
    bad = trace.copy()
    bad[5, 0] = bad[4, 0]
    with pytest.raises(ValueError, match="Item 0: the time column must hold"):
        GazeEncoder().fit([bad])
    with pytest.raises(ValueError, match="Item 0 has 2 columns"):
        GazeEncoder().fit([trace[:, :2]])
    with pytest.raises(ValueError, match="Item 0 lacks gaze columns \\['t'\\]"):
        GazeEncoder().fit([pd.DataFrame({"x": [1.0], "y": [1.0]})])
    with pytest.raises(ValueError, match="min_blink=1 must be below max_blink=0.5"):
        GazeEncoder(min_blink=1).fit([trace])


def test_pupil_slope_is_per_second_across_a_track_loss():
    # regression: the slope was fitted on the index of the valid samples, so a
    # track loss compressed time (0.244 instead of 0.1 here)
    t = np.arange(0, 10, 1 / HZ)
    pupil = 3.0 + 0.1 * t
    pupil[200:700] = np.nan
    rec = np.c_[t, np.zeros_like(t), np.zeros_like(t), pupil]
    enc = GazeEncoder().fit([rec])
    z = dict(zip(enc.get_feature_names_out(), enc.transform([rec])[0]))
    assert z["pupil_slope"] == pytest.approx(0.1)


def test_transform_item_without_pupil_column_is_reported():
    # regression: numpy's IndexError "index 3 is out of bounds" came through
    enc = GazeEncoder().fit(TRACES[:2])
    assert enc.pupil_
    with pytest.raises(ValueError, match="Item 1 has no pupil column"):
        enc.transform([TRACES[0], TRACES[1][:, :3]])
