"""The archetypax drop-in as a scikit-learn estimator."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

import kaa

# check_estimator's checks expected to fail, with the reason: none. (scikit-learn itself skips
# check_array_api_input unless SCIPY_ARRAY_API=1 is set.)
EXPECTED_FAILED_CHECKS = {}


def blobs(n=120, d=4, seed=0):
    rng = np.random.default_rng(seed)
    corners = rng.normal(size=(3, d)) * 3
    w = rng.dirichlet(np.ones(3), size=n)
    return w @ corners + 0.05 * rng.normal(size=(n, d))


# Every check of sklearn.utils.estimator_checks.check_estimator, one test each.
@parametrize_with_checks([kaa.ArchetypalAnalysis(n_archetypes=3, max_iter=50)],
                         expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS)
def test_check_estimator(estimator, check):
    check(estimator)


def test_archetypax_attributes_and_methods():
    X = blobs()
    model = kaa.ArchetypalAnalysis(n_archetypes=3, max_iter=100)
    W = model.fit_transform(X)
    assert model.archetypes.shape == (3, 4) and model.archetypes is model.archetypes_
    assert model.weights.shape == (120, 3)
    assert W.shape == (120, 3)
    np.testing.assert_allclose(W.sum(axis=1), 1.0, atol=1e-6)
    assert model.get_loss_history() == model.loss_history
    assert len(model.loss_history) == model.n_iter_ + 1 or len(model.loss_history) == model.n_iter_
    assert model.n_features_in_ == 4
    np.testing.assert_allclose(model.reconstruct(), model.weights @ model.archetypes)
    np.testing.assert_allclose(model.reconstruct(X[:5]), model.transform(X[:5]) @ model.archetypes)
    np.testing.assert_allclose(model.inverse_transform(W[:5]), W[:5] @ model.archetypes)
    np.testing.assert_allclose(model.X_mean, X.mean(axis=0))
    assert model.score(X) <= 0


def test_feature_names_from_a_dataframe():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame(blobs(), columns=["a", "b", "c", "d"])
    model = kaa.ArchetypalAnalysis(n_archetypes=3, max_iter=20).fit(X)
    assert list(model.feature_names_in_) == ["a", "b", "c", "d"]


def test_pickled_estimator_transforms_alike():
    X = blobs()
    model = kaa.ArchetypalAnalysis(n_archetypes=3, max_iter=50, normalize=True).fit(X)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.archetypes, model.archetypes)
    np.testing.assert_array_equal(again.transform(X[:10]), model.transform(X[:10]))
    assert again.get_params() == model.get_params()


def test_repeated_fits_and_two_estimators_agree():
    X = blobs()
    a = kaa.ArchetypalAnalysis(n_archetypes=3, max_iter=60).fit(X)
    b = clone(a).fit(X)
    a.fit(X)
    np.testing.assert_array_equal(a.archetypes, b.archetypes)
    c = kaa.ArchetypalAnalysis(n_archetypes=4, max_iter=60).fit(X)
    assert c.archetypes.shape == (4, 4)


def test_float32_input_is_the_same_data():
    X = np.round(blobs() * 64) / 64  # exact in float32
    a = kaa.ArchetypalAnalysis(n_archetypes=3, max_iter=40).fit(X)
    b = kaa.ArchetypalAnalysis(n_archetypes=3, max_iter=40).fit(X.astype(np.float32))
    np.testing.assert_array_equal(a.archetypes, b.archetypes)


def test_n_jobs_sets_the_thread_count():
    X = blobs()
    try:
        kaa.ArchetypalAnalysis(n_archetypes=3, max_iter=10, n_jobs=1).fit(X)
        assert kaa.get_num_threads() == 1
    finally:
        kaa.set_num_threads(2)
    assert kaa.get_num_threads() == 2


def test_n_init_keeps_the_best_restart_which_a_single_fit_of_its_seed_reproduces():
    X = blobs()
    three = kaa.ArchetypalAnalysis(n_archetypes=3, max_iter=40, learning_rate=0.05, n_init=3).fit(X)
    restarts = three.metrics_["restarts"]
    assert restarts["n_init"] == 3 and len(restarts["final_losses"]) == 3
    assert restarts["final_losses"][restarts["chosen"]] == min(restarts["final_losses"])
    alone = kaa.ArchetypalAnalysis(n_archetypes=3, max_iter=40, learning_rate=0.05,
                                   random_seed=restarts["chosen_seed"]).fit(X)
    np.testing.assert_array_equal(alone.archetypes, three.archetypes)
