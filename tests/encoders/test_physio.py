import neurokit2 as nk
import numpy as np
import pandas as pd
import pytest

from skmer.encoders import PhysioEncoder
from skmer.utils.estimator_checks import parametrize_with_encoder_checks

SR = 100
ECGS = [
    nk.ecg_simulate(
        duration=8 + i, sampling_rate=SR, heart_rate=60 + 4 * i, random_state=i
    )
    for i in range(6)
]
TEMPS = [30 + 0.01 * np.arange(SR * (3 + i)) / SR for i in range(6)]


@parametrize_with_encoder_checks(
    [
        (PhysioEncoder("ecg", sampling_rate=SR), ECGS),
        (
            PhysioEncoder(["ecg", "temp"], sampling_rate=SR),
            [{"ecg": e, "temp": 30 + 0.001 * np.arange(e.size)} for e in ECGS],
        ),
    ]
)
def test_encoder_checks(encoder, items, y, check):
    check(encoder, items, y)


def _features(enc, items):
    return [dict(zip(enc.get_feature_names_out(), row)) for row in enc.transform(items)]


def test_simulated_ecg_heart_rate():
    ecg = nk.ecg_simulate(duration=20, sampling_rate=250, heart_rate=72, random_state=0)
    enc = PhysioEncoder("ecg", sampling_rate=250).fit([ecg])
    z = _features(enc, [ecg])[0]
    assert z["ecg_hr_mean"] == pytest.approx(72, abs=2)
    assert z["ecg_hrv_MeanNN"] == pytest.approx(60000 / 72, rel=0.03)
    assert z["ecg_hrv_SDNN"] >= 0


def test_simulated_ppg_eda_rsp_and_temperature():
    sr = 50
    ppg = nk.ppg_simulate(duration=20, sampling_rate=sr, heart_rate=66, random_state=1)
    eda = nk.eda_simulate(
        duration=20, sampling_rate=sr, scr_number=3, drift=0.0, random_state=1
    )
    rsp = nk.rsp_simulate(
        duration=40, sampling_rate=sr, respiratory_rate=15, random_state=1
    )
    temp = 33.0 + 0.02 * np.arange(20 * sr) / sr
    item = {"bvp": ppg, "gsr": eda, "rsp": rsp, "temp": temp}
    enc = PhysioEncoder(["bvp", "gsr", "rsp", "temp"], sampling_rate=sr).fit([item])
    assert enc.signals_ == ["ppg", "eda", "rsp", "temp"]
    z = _features(enc, [item])[0]
    assert z["bvp_hr_mean"] == pytest.approx(66, abs=3)
    assert z["gsr_scr_count"] >= 1
    assert z["gsr_scr_rate"] == pytest.approx(
        z["gsr_scr_count"] * 3
    )  # per minute of 20 s
    assert z["rsp_rate_mean"] == pytest.approx(15, abs=1.5)
    assert z["temp_mean"] == pytest.approx(33.2, abs=0.01)
    assert z["temp_slope"] == pytest.approx(0.02)


def test_physio_item_layouts():
    ecg, temp = ECGS[0], 30 + np.zeros(ECGS[0].size)
    enc = PhysioEncoder(["ecg", "temp"], sampling_rate=SR)
    a = enc.fit_transform([{"ecg": ecg, "temp": temp}])
    b = enc.fit_transform([pd.DataFrame({"ecg": ecg, "temp": temp})])
    c = enc.fit_transform([np.vstack([ecg, temp])])
    assert np.allclose(a, b) and np.allclose(a, c)


def test_physio_errors():
    with pytest.raises(ValueError, match="signals must be distinct kinds"):
        PhysioEncoder("emg", sampling_rate=SR).fit([ECGS[0]])
    with pytest.raises(ValueError, match="Item 0 lasts 1.00 s"):
        PhysioEncoder("ecg", sampling_rate=SR).fit([np.zeros(SR)])
    with pytest.raises(ValueError, match="Item 0 has no signal 'temp'"):
        PhysioEncoder(["ecg", "temp"], sampling_rate=SR).fit([{"ecg": ECGS[0]}])
    with pytest.raises(ValueError, match="Present item 0: found 0 ECG beats"):
        PhysioEncoder("ecg", sampling_rate=SR).fit_transform([np.zeros(5 * SR)])


def test_non_finite_hrv_is_reported_not_zeroed(monkeypatch):
    """An HRV value NeuroKit2 cannot compute raises; it is not replaced by 0."""
    real = nk.hrv_time

    def hrv_with_nan(*args, **kwargs):
        out = real(*args, **kwargs)
        out["HRV_RMSSD"] = np.nan
        return out

    monkeypatch.setattr(nk, "hrv_time", hrv_with_nan)
    with pytest.raises(ValueError, match=r"could not compute \['hrv_RMSSD'\]"):
        PhysioEncoder("ecg", sampling_rate=SR).fit_transform([ECGS[0]])
