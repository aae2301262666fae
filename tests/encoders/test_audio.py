import numpy as np
import pytest
import soundfile
from numpy.testing import assert_allclose

from skmer.encoders import AudioEncoder, OpenSmileEncoder, log_mel_spectrogram
from skmer.utils.estimator_checks import parametrize_with_encoder_checks

SR = 8000
_RNG = np.random.RandomState(0)


def tone(freq, seconds=0.5, sr=SR, amp=0.5):
    return amp * np.sin(2 * np.pi * freq * np.arange(int(seconds * sr)) / sr)


WAVES = [
    tone(150 + 20 * i, 0.15 + 0.02 * i)
    + 0.01 * _RNG.normal(size=int((0.15 + 0.02 * i) * SR))
    for i in range(8)
]


@parametrize_with_encoder_checks(
    [
        (AudioEncoder(sr=SR, n_mfcc=4, frame_length=512, hop_length=128), WAVES),
        (
            AudioEncoder(
                sr=SR,
                n_mfcc=3,
                deltas=False,
                stats=["median", "iqr", "slope"],
                frame_length=512,
                hop_length=128,
            ),
            WAVES,
        ),
        (OpenSmileEncoder(sr=SR), WAVES[:6]),
    ]
)
def test_encoder_checks(encoder, items, y, check):
    check(encoder, items, y)


def _features(enc, items):
    return [dict(zip(enc.get_feature_names_out(), row)) for row in enc.transform(items)]


def test_pitch_of_a_220_hz_tone():
    enc = AudioEncoder(sr=16000).fit([tone(220, sr=16000)])
    z = _features(enc, [tone(220, sr=16000), tone(330, sr=16000)])
    assert z[0]["mean_f0"] == pytest.approx(220, abs=2)
    assert z[0]["std_f0"] < 2
    assert z[1]["mean_f0"] == pytest.approx(330, abs=3)
    assert z[0]["voiced_fraction"] == 1.0
    assert z[0]["jitter"] < 0.01 and z[0]["shimmer"] < 0.05
    assert z[0]["duration"] == pytest.approx(0.5)


def test_energy_and_spectral_descriptors_order():
    noise = 0.1 * np.random.RandomState(1).normal(size=SR // 2)
    enc = AudioEncoder(sr=SR).fit([tone(200)])
    quiet, loud, noisy = _features(
        enc, [tone(200, amp=0.05), tone(200, amp=0.5), noise]
    )
    assert loud["mean_log_energy"] - quiet["mean_log_energy"] == pytest.approx(
        20, abs=0.5
    )
    assert noisy["mean_zcr"] > 5 * loud["mean_zcr"]
    assert noisy["mean_spectral_centroid"] > 5 * loud["mean_spectral_centroid"]
    # a tone switching pitch every 50 ms changes its spectrum: more flux than a steady tone
    switching = np.concatenate([tone(f, 0.05) for f in [200, 800] * 5])
    enc = AudioEncoder(sr=SR, stats=["median"]).fit([tone(200)])
    steady, changing = _features(enc, [tone(200), switching])
    assert steady["median_spectral_flux"] < 0.01
    assert changing["median_spectral_flux"] > 3 * steady["median_spectral_flux"]


def test_file_paths_match_arrays(tmp_path):
    y = tone(250)
    soundfile.write(tmp_path / "a.wav", y, SR, subtype="FLOAT")
    enc = AudioEncoder(sr=SR, n_mfcc=4).fit([y])
    assert_allclose(
        enc.transform([str(tmp_path / "a.wav")]),
        enc.transform([y]),
        rtol=1e-4,
        atol=1e-4,
    )
    with pytest.raises(ValueError, match="does not exist"):
        enc.transform([str(tmp_path / "missing.wav")])


def test_audio_errors():
    with pytest.raises(
        ValueError, match="Item 1 has 100 samples, fewer than frame_length"
    ):
        AudioEncoder(sr=SR).fit([tone(200), np.zeros(100)])
    with pytest.raises(ValueError, match="Need fmin < fmax < sr / 2"):
        AudioEncoder(sr=SR, fmin=500, fmax=400).fit([tone(200)])
    with pytest.raises(ValueError, match="stats must be a non-empty list"):
        AudioEncoder(sr=SR, stats=["mode"]).fit([tone(200)])
    with pytest.raises(ValueError, match="Item 0 contains NaN"):
        AudioEncoder(sr=SR).fit([np.full(2048, np.nan)])


def test_opensmile_egemaps_pitch_in_semitones():
    enc = OpenSmileEncoder().fit([tone(220, sr=16000)])
    z = _features(enc, [tone(220, sr=16000)])[0]
    assert enc.n_features_out_ == 88
    # eGeMAPS pitch is in semitones above 27.5 Hz: 12 * log2(220 / 27.5) = 36
    assert z["F0semitoneFrom27.5Hz_sma3nz_amean"] == pytest.approx(36, abs=0.5)


def test_opensmile_feature_set_choice_and_pickle():
    import pickle

    enc = OpenSmileEncoder("GeMAPSv01b", sr=SR).fit(WAVES[:2])
    assert enc.n_features_out_ == 62
    compare = OpenSmileEncoder("ComParE_2016", sr=SR).fit(WAVES[:1])
    assert compare.transform(WAVES[:1]).shape == (1, 6373)
    again = pickle.loads(pickle.dumps(enc))
    assert_allclose(again.transform(WAVES[:2]), enc.transform(WAVES[:2]))


def test_log_mel_spectrogram_peaks_at_the_tone():
    librosa = pytest.importorskip("librosa")
    S = log_mel_spectrogram(tone(1000), SR, n_mels=40)
    mel_freqs = librosa.mel_frequencies(n_mels=40, fmax=SR / 2)
    assert S.shape[0] == 40
    assert mel_freqs[S.mean(axis=1).argmax()] == pytest.approx(1000, rel=0.1)
    assert log_mel_spectrogram(np.ones(300), SR).shape[0] == 64


@pytest.mark.slow
def test_pyin_pitch_of_a_220_hz_tone():
    enc = AudioEncoder(sr=16000, pitch_method="pyin").fit([tone(220, sr=16000)])
    assert _features(enc, [tone(220, sr=16000)])[0]["mean_f0"] == pytest.approx(
        220, abs=2
    )


def test_too_many_mfcc_and_bad_waveform_are_reported():
    # regression: n_mfcc above the 128 mel bands failed with a numpy broadcast
    # error, and log_mel_spectrogram accepted empty or 2-D input
    with pytest.raises(ValueError, match="n_mfcc=200 exceeds the 128 mel bands"):
        AudioEncoder(sr=SR, n_mfcc=200, frame_length=512).fit(WAVES[:1])
    # librosa's ParameterError (not a ValueError) came from inside transform
    with pytest.raises(
        ValueError, match="frame_length=100 cannot hold one period of fmin"
    ):
        AudioEncoder(sr=SR, fmax=500, frame_length=100).fit(WAVES[:1])
    for bad in (np.zeros(0), np.ones((2, 600))):
        with pytest.raises(ValueError, match="y must be a non-empty 1-D waveform"):
            log_mel_spectrogram(bad, SR)


def test_opensmile_too_short_item_is_reported_not_made_missing():
    # regression: openSMILE filled a too-short segment with NaN, which
    # ModalityEncoder then read as a missing modality
    enc = OpenSmileEncoder(sr=SR).fit(WAVES[:1])
    with pytest.raises(
        ValueError, match="Present item 1 .* is too short for openSMILE"
    ):
        enc.transform([WAVES[0], WAVES[0][:100]])


def test_overflowing_waveform_is_reported():
    enc = AudioEncoder(sr=SR, n_mfcc=4, frame_length=512, hop_length=128).fit(WAVES)
    with pytest.raises(
        ValueError,
        match=r"Present item 0 \(largest magnitude 5.25e\+299\).*rescale the waveform",
    ):
        enc.transform([WAVES[0] * 1e300])
