"""sheaf.LogisticRegression against the peers, computed here on the same data:
statsmodels Logit / GLM on statsmodels' spector data (coefficients and
inference), scikit-learn LogisticRegression on breast_cancer (standardized)
and iris (binomial and multinomial L2, sample weights, L1 via saga), scipy's
L-BFGS-B for box bounds; scikit-learn's clone, Pipeline, cross_val_score
and GridSearchCV driving the estimator; label types, input types, errors
and determinism across thread counts."""

import copy
import pickle
import warnings

import numpy as np
import pytest
import scipy.optimize as opt
import scipy.special as sp
import statsmodels.api as sm
from sklearn import linear_model
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.exceptions import ConvergenceWarning as SkConvergenceWarning
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import sheaf
from sheaf.logreg import ConvergenceWarning, InferenceUnavailableError

TIGHT = dict(tol=1e-12, max_iter=1000)


def rel_close(got, want, rtol):
    np.testing.assert_allclose(got, want, rtol=rtol, atol=0)


def sklearn_l2(X, y, reg, sample_weight=None, **kw):
    """sklearn's LogisticRegression whose objective equals Spark's mean
    weighted log-loss + reg/2 |w|^2: C = 1 / (sum(w) * reg)."""
    total = len(y) if sample_weight is None else float(np.sum(sample_weight))
    args = dict(C=1.0 / (total * reg), penalty="l2", tol=1e-12, max_iter=10000,
                solver="newton-cholesky")
    args.update(kw)
    with warnings.catch_warnings():
        # newton-cg warns at tol=1e-12 once its line search cannot improve;
        # its answer is then optimal to rounding (see gen_logreg_refs.py).
        warnings.simplefilter("ignore", SkConvergenceWarning)
        return linear_model.LogisticRegression(**args).fit(X, y, sample_weight=sample_weight)


@pytest.fixture(scope="module")
def spector():
    data = sm.datasets.spector.load_pandas()
    return data.exog[["GPA", "TUCE", "PSI"]], data.endog


@pytest.fixture(scope="module")
def spector_logit(spector):
    X, y = spector
    return sm.Logit(y, sm.add_constant(X)).fit(disp=0, method="newton", tol=1e-12, maxiter=100)


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


# ---- statsmodels: unpenalised binomial and its inference -------------------

def test_unpenalised_fit_matches_statsmodels_logit(spector, spector_logit):
    X, y = spector
    model = sheaf.LogisticRegression(**TIGHT).fit(X, y)
    rel_close(model.intercept_, spector_logit.params.values[:1], 1e-6)
    rel_close(model.coef_, spector_logit.params.values[None, 1:], 1e-6)
    assert model.coef_.shape == (1, 3) and model.intercept_.shape == (1,)
    assert model.converged_


def test_inference_matches_statsmodels_logit(spector, spector_logit):
    X, y = spector
    model = sheaf.LogisticRegression(**TIGHT).fit(X, y)
    rel_close(model.bse_, spector_logit.bse.values, 1e-6)
    rel_close(model.zvalues_, spector_logit.tvalues.values, 1e-6)
    rel_close(model.pvalues_, spector_logit.pvalues.values, 1e-6)
    rel_close(model.conf_int(), spector_logit.conf_int(0.05).values, 1e-6)
    rel_close(model.conf_int(0.1), spector_logit.conf_int(0.1).values, 1e-6)
    assert model.conf_int().shape == (4, 2)


def test_weighted_inference_matches_statsmodels_frequency_weights(spector):
    X, y = spector
    w = np.random.default_rng(5).integers(1, 5, size=len(y)).astype(float)
    glm = sm.GLM(y, sm.add_constant(X), family=sm.families.Binomial(), freq_weights=w).fit(
        method="IRLS", tol=1e-12, maxiter=100)
    model = sheaf.LogisticRegression(**TIGHT).fit(X, y, sample_weight=w)
    rel_close(np.r_[model.intercept_, model.coef_[0]], glm.params.values, 1e-6)
    rel_close(model.bse_, glm.bse.values, 1e-6)


def test_predictions_match_statsmodels(spector, spector_logit):
    X, y = spector
    model = sheaf.LogisticRegression(**TIGHT).fit(X, y)
    p1 = spector_logit.predict(sm.add_constant(X))
    rel_close(model.predict_proba(X)[:, 1], p1, 1e-6)
    rel_close(model.decision_function(X), sm.add_constant(X).values @ spector_logit.params.values,
              1e-5)
    np.testing.assert_array_equal(model.predict(X), (p1 > 0.5).astype(float))
    assert model.decision_function(X).shape == (len(y),)


# ---- scikit-learn: L2, multinomial, weights, L1 ----------------------------

def test_l2_without_standardization_matches_sklearn_on_breast_cancer(cancer):
    X, y = cancer
    reg = 1e-2
    peer = sklearn_l2(X, y, reg)
    model = sheaf.LogisticRegression(reg_param=reg, standardization=False, **TIGHT).fit(X, y)
    rel_close(model.coef_, peer.coef_, 1e-5)
    rel_close(model.intercept_, peer.intercept_, 1e-5)
    rel_close(model.predict_proba(X), peer.predict_proba(X), 1e-6)


def test_multinomial_l2_matches_sklearn_on_iris(iris):
    X, y = iris
    reg = 1e-2
    peer = sklearn_l2(X, y, reg, solver="newton-cg", multi_class="multinomial", max_iter=100)
    model = sheaf.LogisticRegression(reg_param=reg, standardization=False, **TIGHT).fit(X, y)
    assert model.coef_.shape == (3, 4) and model.intercept_.shape == (3,)
    # Both sides centre across classes: coefficients by the L2 term,
    # intercepts by construction (sklearn from its zero start).
    rel_close(model.coef_, peer.coef_, 1e-5)
    np.testing.assert_allclose(model.intercept_ - model.intercept_.mean(),
                               peer.intercept_ - peer.intercept_.mean(), rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(model.predict_proba(X), peer.predict_proba(X), rtol=1e-6,
                               atol=1e-12)
    np.testing.assert_array_equal(model.predict(X), peer.predict(X))
    assert model.decision_function(X).shape == (150, 3)


def test_sample_weight_matches_sklearn(spector):
    X, y = spector
    w = np.random.default_rng(11).uniform(0.2, 3.0, size=len(y))
    reg = 1e-2
    peer = sklearn_l2(X.values, y.values, reg, sample_weight=w)
    model = sheaf.LogisticRegression(reg_param=reg, standardization=False, **TIGHT).fit(
        X, y, sample_weight=w)
    rel_close(model.coef_, peer.coef_, 1e-6)
    rel_close(model.intercept_, peer.intercept_, 1e-6)
    assert model.training_summary_.weight_sum == pytest.approx(w.sum(), rel=1e-14)


def test_l1_zero_pattern_matches_sklearn_saga(cancer):
    X, y = cancer
    reg = 0.05
    peer = linear_model.LogisticRegression(penalty="l1", C=1.0 / (len(y) * reg), solver="saga",
                                           tol=1e-10, max_iter=100000, random_state=0).fit(X, y)
    model = sheaf.LogisticRegression(reg_param=reg, elastic_net_param=1.0, standardization=False,
                                     **TIGHT).fit(X, y)
    np.testing.assert_array_equal(model.coef_ == 0, peer.coef_ == 0)
    assert 0 < np.count_nonzero(model.coef_) < X.shape[1]

    def objective(w, b):
        m = X @ w + b
        return np.mean(np.logaddexp(0, m) - y * m) + reg * np.abs(w).sum()

    assert (objective(model.coef_[0], model.intercept_[0])
            <= objective(peer.coef_[0], peer.intercept_[0]) + 1e-8)


def test_inference_after_l1_is_unavailable(cancer):
    X, y = cancer
    model = sheaf.LogisticRegression(reg_param=0.05, elastic_net_param=1.0).fit(X, y)
    for name in ("bse_", "zvalues_", "pvalues_"):
        with pytest.raises(InferenceUnavailableError) as info:
            getattr(model, name)
        assert isinstance(info.value, sheaf.SheafError)
        assert isinstance(info.value, AttributeError)
        assert info.value.status == "SHEAF_ERR_UNSUPPORTED"
        assert not hasattr(model, name)
    with pytest.raises(sheaf.SheafError):
        model.conf_int()


def test_inference_after_multinomial_is_unavailable(iris):
    X, y = iris
    model = sheaf.LogisticRegression(reg_param=1e-2).fit(X, y)
    with pytest.raises(InferenceUnavailableError):
        model.bse_
    assert not hasattr(model, "pvalues_")


def test_training_summary_and_evaluate_match_sklearn_metrics(cancer):
    X, y = cancer
    model = sheaf.LogisticRegression(reg_param=1e-2, **TIGHT).fit(X[:400], y[:400])
    summary = model.training_summary_
    proba = model.predict_proba(X[:400])
    assert summary.log_loss == pytest.approx(log_loss(y[:400], proba), rel=1e-12)
    assert summary.accuracy == pytest.approx(accuracy_score(y[:400], model.predict(X[:400])),
                                             rel=1e-15)
    assert summary.auc == pytest.approx(roc_auc_score(y[:400], proba[:, 1]), rel=1e-12)
    assert summary.weight_sum == 400
    held = model.evaluate(X[400:], y[400:])
    assert held.auc == pytest.approx(roc_auc_score(y[400:], model.predict_proba(X[400:])[:, 1]),
                                     rel=1e-12)
    assert model.score(X[400:], y[400:]) == pytest.approx(
        accuracy_score(y[400:], model.predict(X[400:])), rel=1e-15)
    w = np.linspace(0.5, 2.0, 169)
    assert model.score(X[400:], y[400:], sample_weight=w) == pytest.approx(
        accuracy_score(y[400:], model.predict(X[400:]), sample_weight=w), rel=1e-12)


def test_training_auc_on_many_rows_matches_sklearn():
    # Over 131072 rows the AUC's sort of the scores takes its multi-pass
    # radix path (it crashed there once).
    rng = np.random.default_rng(3)
    X = rng.standard_normal((200_000, 2))
    y = (rng.random(200_000) < sp.expit(X @ [1.0, -0.5])).astype(int)
    model = sheaf.LogisticRegression().fit(X, y)
    want = roc_auc_score(y, model.predict_proba(X)[:, 1])
    assert model.training_summary_.auc == pytest.approx(want, rel=1e-12)


def test_multinomial_auc_is_sklearn_macro_one_vs_rest(iris):
    X, y = iris
    model = sheaf.LogisticRegression(reg_param=0.1).fit(X, y)
    want = roc_auc_score(y, model.predict_proba(X), multi_class="ovr", average="macro")
    assert model.training_summary_.auc == pytest.approx(want, rel=1e-12)


# ---- solvers, bounds, convergence -----------------------------------------

def test_lbfgs_and_newton_agree(cancer):
    X, y = cancer
    # The gradient rule alone (tol=0 switches the objective rule off): the
    # objective changes by less than 1e-15 per L-BFGS step while the
    # coefficients are still ~1e-6 away, so that rule cannot certify 1e-6.
    fits = {solver: sheaf.LogisticRegression(reg_param=1e-3, solver=solver, tol=0.0, gtol=1e-11,
                                             max_iter=1000).fit(X, y)
            for solver in ("lbfgs", "newton")}
    assert fits["lbfgs"].solver_ == "lbfgs" and fits["newton"].solver_ == "newton"
    rel_close(fits["lbfgs"].coef_, fits["newton"].coef_, 1e-6)
    rel_close(fits["lbfgs"].intercept_, fits["newton"].intercept_, 1e-6)


def test_solver_names_what_ran(cancer):
    X, y = cancer
    assert sheaf.LogisticRegression(reg_param=1e-2).fit(X, y).solver_ in ("newton", "lbfgs")
    l1 = sheaf.LogisticRegression(reg_param=1e-2, elastic_net_param=1.0).fit(X, y)
    assert l1.solver_ == "owlqn"


def test_box_bounds_match_scipy_lbfgsb(spector):
    X, y = spector
    x, t = X.values, y.values
    upper = np.array([[np.inf, 0.05, np.inf]])  # TUCE's free optimum is 0.095
    model = sheaf.LogisticRegression(standardization=False, upper_bounds_on_coefficients=upper,
                                     lower_bounds_on_intercepts=[-12.0], **TIGHT).fit(X, y)

    def objective(theta):
        m = x @ theta[1:] + theta[0]
        r = sp.expit(m) - t
        return np.mean(np.logaddexp(0, m) - t * m), np.r_[r.mean(), x.T @ r / len(t)]

    peer = opt.minimize(objective, np.zeros(4), jac=True, method="L-BFGS-B",
                        bounds=[(-12.0, None), (None, None), (None, 0.05), (None, None)],
                        options=dict(ftol=1e-15, gtol=1e-12, maxiter=10000))
    assert model.coef_[0, 1] == 0.05 and model.intercept_[0] == -12.0
    np.testing.assert_allclose(np.r_[model.intercept_, model.coef_[0]], peer.x, rtol=1e-5)


def test_bounds_with_the_wrong_shape_raise(spector):
    X, y = spector
    with pytest.raises(sheaf.SheafValueError, match=r"has shape \(2, 3\); this fit needs \(1, 3\)"):
        sheaf.LogisticRegression(lower_bounds_on_coefficients=np.zeros((2, 3)),
                                 solver="lbfgs").fit(X, y)


def test_non_convergence_warns_and_reports_the_reason(cancer):
    X, y = cancer
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        model = sheaf.LogisticRegression(reg_param=1e-4, max_iter=1, solver="lbfgs").fit(X, y)
    assert not model.converged_ and model.convergence_reason_ == "max_iter"
    assert model.n_iter_.tolist() == [1]


def test_n_iter_and_objective_history(cancer):
    X, y = cancer
    model = sheaf.LogisticRegression(reg_param=1e-2).fit(X, y)
    assert model.n_iter_.shape == (1,) and model.n_iter_.dtype == np.int32
    assert model.objective_history_.shape == (model.n_iter_[0] + 1,)
    assert model.objective_history_[0] > model.objective_history_[-1]
    assert model.objective_history_[-1] == model.objective_
    assert model.converged_ and model.convergence_reason_ in ("gradient", "function")


def test_threshold_decides_binomial_predictions(cancer):
    X, y = cancer
    for threshold in (0.1, 0.5, 0.9):
        model = sheaf.LogisticRegression(reg_param=1e-2, threshold=threshold).fit(X, y)
        want = (model.predict_proba(X)[:, 1] > threshold).astype(model.classes_.dtype)
        np.testing.assert_array_equal(model.predict(X), want)


def test_multinomial_family_on_two_classes_has_two_rows(spector):
    X, y = spector
    # Unpenalised, both parametrisations reach the same maximum likelihood
    # (an L2 penalty would differ: |w1|^2 + |w2|^2 against |w1 - w2|^2 / 2).
    model = sheaf.LogisticRegression(family="multinomial", **TIGHT).fit(X, y)
    assert model.coef_.shape == (2, 3) and model.intercept_.shape == (2,)
    binomial = sheaf.LogisticRegression(family="binomial", **TIGHT).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X), binomial.predict_proba(X), rtol=1e-6)


def test_threads_give_identical_coefficients(cancer):
    X, y = cancer
    one = sheaf.LogisticRegression(reg_param=1e-3, threads=1).fit(X, y)
    two = sheaf.LogisticRegression(reg_param=1e-3, threads=2).fit(X, y)
    assert np.array_equal(one.coef_, two.coef_)
    assert np.array_equal(one.intercept_, two.intercept_)


# ---- labels and inputs -----------------------------------------------------

def test_string_labels_map_through_classes(iris):
    X, y = iris
    species = np.array(["setosa", "versicolor", "virginica"])
    names = species[y]
    numeric = sheaf.LogisticRegression(reg_param=1e-2).fit(X, y)
    named = sheaf.LogisticRegression(reg_param=1e-2).fit(X, list(names))
    np.testing.assert_array_equal(named.classes_, species)
    assert np.array_equal(named.coef_, numeric.coef_)
    np.testing.assert_array_equal(named.predict(X), species[numeric.predict(X)])
    assert named.score(X, names) == numeric.score(X, y)


def test_string_labels_are_sorted_not_taken_in_order_of_appearance(spector):
    X, y = spector
    words = np.where(y.values == 1, "pass", "fail")  # fail < pass: class 1 stays 1
    reversed_words = np.where(y.values == 1, "a-pass", "b-fail")  # now pass is class 0
    plain = sheaf.LogisticRegression(reg_param=1e-2).fit(X, y)
    same = sheaf.LogisticRegression(reg_param=1e-2).fit(X, words)
    flipped = sheaf.LogisticRegression(reg_param=1e-2).fit(X, reversed_words)
    assert np.array_equal(same.coef_, plain.coef_)
    np.testing.assert_allclose(flipped.coef_, -plain.coef_, rtol=1e-8)
    assert list(flipped.classes_) == ["a-pass", "b-fail"]


def test_bool_labels(spector):
    X, y = spector
    model = sheaf.LogisticRegression(reg_param=1e-2).fit(X, y.values == 1)
    assert model.classes_.dtype == bool and list(model.classes_) == [False, True]
    assert model.predict(X).dtype == bool
    plain = sheaf.LogisticRegression(reg_param=1e-2).fit(X, y)
    assert np.array_equal(model.coef_, plain.coef_)


def test_pandas_input_records_feature_names(spector):
    X, y = spector
    model = sheaf.LogisticRegression().fit(X, y)
    assert list(model.feature_names_in_) == ["GPA", "TUCE", "PSI"]
    assert model.n_features_in_ == 3
    np.testing.assert_array_equal(model.predict(X), model.predict(X.values))
    with pytest.raises(sheaf.SheafValueError, match="feature names should match"):
        model.predict(X[["TUCE", "GPA", "PSI"]])
    assert not hasattr(sheaf.LogisticRegression().fit(X.values, y), "feature_names_in_")


def test_any_numeric_dtype_and_order_gives_the_same_fit(spector):
    X, y = spector
    base = sheaf.LogisticRegression(reg_param=1e-2).fit(np.ascontiguousarray(X.values), y)
    for x in (np.asfortranarray(X.values), X.values.astype(np.float32).astype(np.float64),
              (X.values * 100).astype(np.int64) / 100.0):
        other = sheaf.LogisticRegression(reg_param=1e-2).fit(x, y.values)
        np.testing.assert_allclose(other.coef_, base.coef_, rtol=1e-6)
    ints = np.array([[0, 1], [1, 0], [1, 1], [0, 0], [2, 1], [1, 2]], dtype=np.int32)
    labels = [0, 1, 1, 0, 0, 1]
    a = sheaf.LogisticRegression(reg_param=0.1).fit(ints, labels)
    b = sheaf.LogisticRegression(reg_param=0.1).fit(ints.astype(np.float64), labels)
    assert np.array_equal(a.coef_, b.coef_)


def test_frame_input_fits_on_its_partitions(spector):
    X, y = spector
    df = X.assign(GRADE=y.values)
    frame = sheaf.from_pandas(df, partitions=3)
    model = sheaf.LogisticRegression(**TIGHT).fit(frame, features=["GPA", "TUCE", "PSI"],
                                                  label="GRADE")
    plain = sheaf.LogisticRegression(**TIGHT).fit(X, y)
    np.testing.assert_allclose(model.coef_, plain.coef_, rtol=1e-9)
    np.testing.assert_array_equal(model.classes_, [0.0, 1.0])
    assert list(model.feature_names_in_) == ["GPA", "TUCE", "PSI"]
    np.testing.assert_array_equal(model.predict(frame), plain.predict(X))
    np.testing.assert_allclose(model.predict_proba(frame), plain.predict_proba(X), rtol=1e-9)
    assert model.score(frame) == plain.score(X, y)
    assert model.score(X.values, y.values) == plain.score(X, y)


def test_frame_label_must_be_numeric_class_indices(spector):
    X, y = spector
    frame = sheaf.from_pandas(X.assign(GRADE=np.where(y == 1, "pass", "fail")))
    with pytest.raises(sheaf.SheafValueError, match="column 'GRADE' is string"):
        sheaf.LogisticRegression().fit(frame, features=["GPA", "TUCE"], label="GRADE")
    frame = sheaf.from_pandas(X.assign(GRADE=y.values + 0.5))
    with pytest.raises(sheaf.SheafValueError, match="is 0.5"):
        sheaf.LogisticRegression().fit(frame, features=["GPA", "TUCE"], label="GRADE")


def test_frame_input_takes_bounds_for_binomial_fits(spector):
    X, y = spector
    frame = sheaf.from_pandas(X.assign(GRADE=y.values), partitions=2)
    upper = [np.inf, 0.05, np.inf]
    model = sheaf.LogisticRegression(family="binomial", upper_bounds_on_coefficients=upper,
                                     **TIGHT).fit(frame, features=["GPA", "TUCE", "PSI"],
                                                  label="GRADE")
    plain = sheaf.LogisticRegression(upper_bounds_on_coefficients=upper, **TIGHT).fit(X, y)
    np.testing.assert_allclose(model.coef_, plain.coef_, rtol=1e-8)
    with pytest.raises(sheaf.SheafValueError, match="need family='binomial'"):
        sheaf.LogisticRegression(upper_bounds_on_coefficients=upper).fit(
            frame, features=["GPA", "TUCE", "PSI"], label="GRADE")


def test_frame_input_requires_features_and_label(spector):
    X, y = spector
    frame = sheaf.from_pandas(X.assign(GRADE=y.values))
    with pytest.raises(sheaf.SheafValueError, match="needs features"):
        sheaf.LogisticRegression().fit(frame, features=["GPA"])
    with pytest.raises(sheaf.SheafValueError, match="label='column'"):
        sheaf.LogisticRegression().fit(frame, y, features=["GPA"], label="GRADE")


# ---- scikit-learn's machinery ---------------------------------------------

def test_get_params_and_set_params_round_trip():
    model = sheaf.LogisticRegression(reg_param=0.3, family="binomial", threads=2)
    params = model.get_params()
    assert list(params)[:11] == ["reg_param", "elastic_net_param", "family", "fit_intercept",
                                 "standardization", "max_iter", "tol", "threshold", "solver",
                                 "threads", "gtol"]
    assert params["reg_param"] == 0.3 and params["upper_bounds_on_intercepts"] is None
    other = sheaf.LogisticRegression().set_params(**params)
    assert other.get_params() == params
    assert model.set_params(tol=1e-3) is model and model.tol == 1e-3
    with pytest.raises(ValueError, match="invalid parameter 'C'"):
        model.set_params(C=1.0)
    assert repr(model) == ("LogisticRegression(reg_param=0.3, family='binomial', tol=0.001, "
                           "threads=2)")


def test_clone_keeps_parameters_and_drops_the_fit(spector):
    X, y = spector
    model = sheaf.LogisticRegression(reg_param=0.1, solver="lbfgs").fit(X, y)
    copy_ = clone(model)
    assert copy_.get_params() == model.get_params()
    assert not hasattr(copy_, "coef_")
    assert np.array_equal(copy_.fit(X, y).coef_, model.coef_)


def test_pipeline_matches_the_steps_by_hand():
    X, y = load_breast_cancer(return_X_y=True)
    pipe = Pipeline([("scale", StandardScaler()),
                     ("logreg", sheaf.LogisticRegression(reg_param=1e-2))]).fit(X, y)
    scaled = StandardScaler().fit(X).transform(X)
    by_hand = sheaf.LogisticRegression(reg_param=1e-2).fit(scaled, y)
    assert np.array_equal(pipe.named_steps["logreg"].coef_, by_hand.coef_)
    np.testing.assert_array_equal(pipe.predict_proba(X), by_hand.predict_proba(scaled))
    assert pipe.score(X, y) == by_hand.score(scaled, y)


def test_cross_val_score_matches_folds_by_hand(cancer):
    X, y = cancer
    estimator = sheaf.LogisticRegression(reg_param=1e-2)
    scores = cross_val_score(estimator, X, y, cv=5)
    folds = StratifiedKFold(5).split(X, y)  # what cv=5 means for a classifier
    by_hand = [sheaf.LogisticRegression(reg_param=1e-2).fit(X[tr], y[tr]).score(X[te], y[te])
               for tr, te in folds]
    assert np.array_equal(scores, by_hand)


def test_grid_search_over_reg_param(cancer):
    X, y = cancer
    grid = {"reg_param": [1e-3, 1e-2, 1e-1]}
    search = GridSearchCV(sheaf.LogisticRegression(), grid, cv=3).fit(X, y)
    means = []
    for reg in grid["reg_param"]:
        scores = [sheaf.LogisticRegression(reg_param=reg).fit(X[tr], y[tr]).score(X[te], y[te])
                  for tr, te in StratifiedKFold(3).split(X, y)]
        means.append(np.mean(scores))
    np.testing.assert_array_equal(search.cv_results_["mean_test_score"], means)
    best = grid["reg_param"][int(np.argmax(means))]
    assert search.best_params_ == {"reg_param": best}
    refit = sheaf.LogisticRegression(reg_param=best).fit(X, y)
    assert np.array_equal(search.best_estimator_.coef_, refit.coef_)


def test_pickling_an_unfitted_model_works_and_a_fitted_one_raises(spector):
    X, y = spector
    model = sheaf.LogisticRegression(reg_param=0.5)
    assert pickle.loads(pickle.dumps(model)).get_params() == model.get_params()
    model.fit(X, y)
    with pytest.raises(NotImplementedError, match="cannot be pickled"):
        pickle.dumps(model)
    with pytest.raises(NotImplementedError, match="cannot be pickled"):
        copy.deepcopy(model)


# ---- errors ------------------------------------------------------------------

def test_nan_in_x_is_a_nonfinite_error(spector):
    X, y = spector
    x = X.values.copy()
    x[4, 1] = np.nan
    with pytest.raises(sheaf.SheafValueError, match="row 4") as info:
        sheaf.LogisticRegression().fit(x, y)
    assert info.value.status == "SHEAF_ERR_NONFINITE"
    model = sheaf.LogisticRegression().fit(X, y)
    with pytest.raises(sheaf.SheafValueError) as info:
        model.predict(x)
    assert info.value.status == "SHEAF_ERR_NONFINITE"


def test_shape_errors(spector):
    X, y = spector
    model = sheaf.LogisticRegression()
    with pytest.raises(sheaf.SheafValueError, match="X has 32 rows but y has 31 labels"):
        model.fit(X, y[:31])
    with pytest.raises(sheaf.SheafValueError, match="X has 0 rows"):
        model.fit(np.empty((0, 3)), [])
    with pytest.raises(sheaf.SheafValueError, match="expected a 2-D X"):
        model.fit(X.values[:, 0], y)
    with pytest.raises(sheaf.SheafValueError, match="sample_weight has shape"):
        model.fit(X, y, sample_weight=np.ones(5))
    model.fit(X, y)
    with pytest.raises(sheaf.SheafValueError,
                       match="X has 2 features, but LogisticRegression is expecting 3"):
        model.predict(X.values[:, :2])
    with pytest.raises(sheaf.SheafValueError, match="expecting 3"):
        model.predict_proba(np.ones((2, 4)))


def test_label_errors(spector):
    X, y = spector
    with pytest.raises(sheaf.SheafValueError, match="at least 2 are needed"):
        sheaf.LogisticRegression().fit(X, np.zeros(len(y)))
    with pytest.raises(sheaf.SheafValueError, match="continuous"):
        sheaf.LogisticRegression().fit(X, y + 0.5)
    with pytest.raises(sheaf.SheafValueError, match="NaN"):
        sheaf.LogisticRegression().fit(X, np.where(np.arange(len(y)) == 3, np.nan, y))
    model = sheaf.LogisticRegression().fit(X, np.where(y == 1, "yes", "no"))
    unseen = np.where(y == 1, "yes", "no").astype(object)
    unseen[7] = "maybe"
    with pytest.raises(sheaf.SheafValueError, match="label 'maybe' at row 7"):
        model.score(X, unseen)


def test_bad_parameters_raise(spector):
    X, y = spector
    with pytest.raises(ValueError, match="family must be one of"):
        sheaf.LogisticRegression(family="poisson").fit(X, y)
    with pytest.raises(ValueError, match="solver must be one of"):
        sheaf.LogisticRegression(solver="saga").fit(X, y)
    with pytest.raises(ValueError, match="max_iter must be a non-negative integer"):
        sheaf.LogisticRegression(max_iter=-1).fit(X, y)
    with pytest.raises(sheaf.SheafValueError, match="reg_param"):
        sheaf.LogisticRegression(reg_param=-1.0).fit(X, y)
    with pytest.raises(sheaf.SheafValueError, match="elastic_net_param"):
        sheaf.LogisticRegression(elastic_net_param=2.0).fit(X, y)
    with pytest.raises(sheaf.SheafValueError, match="(?i)binomial"):
        sheaf.LogisticRegression(family="binomial").fit(*load_iris(return_X_y=True))
    with pytest.raises(sheaf.SheafError, match="not fitted"):
        sheaf.LogisticRegression().predict(X)
