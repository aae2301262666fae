import numpy as np
import pytest

from skmer.encoders import VideoEncoder
from skmer.utils.estimator_checks import parametrize_with_encoder_checks

_RNG = np.random.RandomState(0)
CLIPS = [_RNG.uniform(size=(3 + i % 3, 12, 14, 3)) for i in range(6)]
CLIPS[2] = (CLIPS[2][..., 0] * 255).astype(np.uint8)[:, :, :]  # grey uint8 clip
CLIPS[2] = np.stack([CLIPS[2]] * 3, axis=-1)


@parametrize_with_encoder_checks(
    [
        (VideoEncoder(fps=10), CLIPS),
        (
            VideoEncoder(
                fps=10, frame_step=2, optical_flow=False, image_features=["composition"]
            ),
            CLIPS,
        ),
    ]
)
def test_encoder_checks(encoder, items, y, check):
    check(encoder, items, y)


def _features(enc, items):
    return [dict(zip(enc.get_feature_names_out(), row)) for row in enc.transform(items)]


def _square_clip(T=6, shift=1):
    clip = np.zeros((T, 24, 24))
    for t in range(T):
        clip[t, 8:14, 4 + shift * t : 10 + shift * t] = 1.0
    return clip


def test_static_moving_and_cut_clips():
    static = np.repeat(_square_clip()[:1], 6, axis=0)
    moving = _square_clip(shift=1)
    cut = np.concatenate([np.full((5, 24, 24), 0.1), np.full((5, 24, 24), 0.9)])
    enc = VideoEncoder(fps=5).fit([static])
    s, m, c = _features(enc, [static, moving, cut])
    assert s["motion_energy_mean"] == 0 and s["flow_magnitude_mean"] == 0
    assert s["shot_cut_rate"] == 0 and s["n_shots"] == 1
    assert m["motion_energy_mean"] > 0 and m["flow_magnitude_max"] > 0
    assert m["shot_cut_rate"] == 0
    assert c["n_shots"] == 2 and c["shot_cut_rate"] == pytest.approx(1 / 2.0)
    assert c["duration"] == pytest.approx(2.0)
    assert c["std_brightness"] == pytest.approx(0.4)


def test_single_frame_clip_and_errors():
    enc = VideoEncoder().fit([np.zeros((1, 8, 8))])
    z = _features(enc, [np.zeros((1, 8, 8))])[0]
    assert z["motion_energy_mean"] == 0 and z["n_shots"] == 1
    with pytest.raises(ValueError, match="Item 0 has shape \\(8, 8\\)"):
        VideoEncoder().fit([np.zeros((8, 8))])
    with pytest.raises(ValueError, match="image_features must be distinct groups"):
        VideoEncoder(image_features=["faces"]).fit([np.zeros((2, 8, 8))])
    with pytest.raises(ValueError, match="float frames must lie in \\[0, 1\\]"):
        VideoEncoder().fit([np.full((2, 8, 8), 3.0)])


def test_uint16_frames_are_read_as_16_bit():
    # regression: every integer clip was divided by 255
    clip16 = np.full((2, 8, 8), 65535, dtype=np.uint16)
    enc = VideoEncoder(image_features=["colour"], optical_flow=False).fit([clip16])
    z = _features(enc, [clip16, np.ones((2, 8, 8))])
    assert z[0]["mean_value_mean"] == pytest.approx(1.0)
    assert z[0]["mean_value_mean"] == pytest.approx(z[1]["mean_value_mean"])


@pytest.mark.parametrize("step", [1, 3, 4])
def test_duration_does_not_depend_on_frame_step(step):
    # regression: duration was n_sampled_frames * frame_step / fps (1.2 s here)
    clip = np.random.RandomState(0).uniform(size=(10, 8, 8))
    enc = VideoEncoder(fps=10, frame_step=step, optical_flow=False).fit([clip])
    assert _features(enc, [clip])[0]["duration"] == pytest.approx(1.0)
