/* logreg_spector.c - did a new teaching method (PSI) improve grades? Fits
 * GRADE ~ GPA + TUCE + PSI by logistic regression on the Spector and Mazzeo
 * (1980) data (32 students), with the C API: CSV -> frame -> design -> fit,
 * then inference, the training summary and two predictions.
 * usage: logreg_spector [data/spector.csv] */
#include <sheaf.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "data/spector.csv";
    const char *features[] = {"GPA", "TUCE", "PSI"}, *names[] = {"const", "GPA", "TUCE", "PSI"};
    double coef[4], bse[4], z[4], p[4], lower[4], upper[4];
    double students[] = {3.0, 20, 0, 3.0, 20, 1}, proba[4]; /* same GPA and TUCE, PSI 0 or 1 */
    sheaf_ctx *ctx = NULL;
    sheaf_frame *frame = NULL;
    sheaf_design *design = NULL;
    sheaf_logreg *model = NULL;
    sheaf_logreg_params params = sheaf_logreg_params_default(); /* unpenalised, with intercept */
    sheaf_status status = sheaf_ctx_create(&ctx);
    if (status != SHEAF_OK || (status = sheaf_csv_read(ctx, path, NULL, &frame)) != SHEAF_OK ||
        (status = sheaf_vector_assemble(ctx, frame, features, 3, "GRADE", SHEAF_MISSING_ERROR,
                                        &design)) != SHEAF_OK ||
        (status = sheaf_logreg_fit_design(ctx, design, &params, &model)) != SHEAF_OK ||
        (status = sheaf_logreg_inference(model, bse, z, p)) != SHEAF_OK ||
        (status = sheaf_logreg_conf_int(model, 0.05, lower, upper)) != SHEAF_OK ||
        (status = sheaf_logreg_predict_proba(model, students, 2, 3, proba)) != SHEAF_OK)
        goto done;

    const char *reason;
    int converged = sheaf_logreg_converged(model, &reason);
    printf("%zu rows; solver %s, %zu iterations, converged %s (%s)\n",
           sheaf_design_num_rows(design), sheaf_logreg_solver_name(model),
           sheaf_logreg_iterations(model), converged ? "yes" : "no", reason);
    sheaf_logreg_intercepts(model, coef);
    sheaf_logreg_coefficients(model, coef + 1); /* statsmodels' order: intercept first */
    printf("%-6s %10s %9s %7s %7s %9s %9s\n", "", "coef", "std err", "z", "P>|z|", "[0.025",
           "0.975]");
    for (size_t j = 0; j < 4; j++)
        printf("%-6s %10.6g %9.4f %7.3f %7.4f %9.4f %9.4f\n", names[j], coef[j], bse[j], z[j], p[j],
               lower[j], upper[j]);

    sheaf_logreg_metrics train;
    sheaf_logreg_training_summary(model, &train);
    printf("training: log-loss %.6f, accuracy %.4f, AUC %.4f\n", train.log_loss, train.accuracy,
           train.auc);
    printf("P(GRADE = 1 | GPA 3.0, TUCE 20): without PSI %.4f, with PSI %.4f\n", proba[1],
           proba[3]);
done:
    if (status != SHEAF_OK) fprintf(stderr, "logreg_spector: %s\n", sheaf_last_error());
    sheaf_logreg_free(model);
    sheaf_design_free(design);
    sheaf_frame_free(frame);
    sheaf_ctx_free(ctx);
    return status == SHEAF_OK ? 0 : 1;
}
