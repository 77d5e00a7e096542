"""Logistic regression from Python: statsmodels' inference, scikit-learn's shape."""
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import sheaf

students = sheaf.read_csv("data/spector.csv")  # 32 students: GPA, TUCE, PSI, GRADE
model = sheaf.LogisticRegression().fit(students, features=["GPA", "TUCE", "PSI"], label="GRADE")
print(model.solver_, model.converged_, model.convergence_reason_)
lower, upper = model.conf_int(alpha=0.05).T
for name, coef, se, p, lo, hi in zip(["const", "GPA", "TUCE", "PSI"],
                                     np.r_[model.intercept_, model.coef_[0]],
                                     model.bse_, model.pvalues_, lower, upper):
    print(f"{name:6} {coef:10.6g} {se:8.4f} {p:7.4f} [{lo:8.4f}, {hi:8.4f}]")

summary = model.training_summary_
print(f"log-loss {summary.log_loss:.6f}, accuracy {summary.accuracy:.4f}, AUC {summary.auc:.4f}")
new = np.array([[3.0, 20, 0], [3.0, 20, 1]])  # GPA, TUCE, PSI
print("P(GRADE = 1):", model.predict_proba(new)[:, 1].round(4), "->", model.predict(new))

# Any scikit-learn tool takes it: here a pipeline in 5-fold cross-validation.
X, y = load_breast_cancer(return_X_y=True)
pipeline = make_pipeline(StandardScaler(), sheaf.LogisticRegression(reg_param=0.01))
print("accuracy by fold:", cross_val_score(pipeline, X, y, cv=5).round(4))
