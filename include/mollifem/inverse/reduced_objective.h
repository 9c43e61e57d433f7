#ifndef mollifem_inverse_reduced_objective_h
#define mollifem_inverse_reduced_objective_h

#include <mollifem/base/linear_algebra.h>
#include <mollifem/coefficient/coefficient.h>
#include <mollifem/data/observation_operator.h>
#include <mollifem/inverse/regularization.h>
#include <mollifem/models/state_solver.h>
#include <mollifem/models/time_parameters.h>

#include <array>
#include <memory>
#include <optional>
#include <vector>

namespace mollifem
{
  /**
   * Work counters of a ReducedObjective: how many solves of each kind were
   * made, for the cost of an inversion in forward-solve equivalents.
   */
  struct ObjectiveStatistics
  {
    unsigned int n_forward          = 0;
    unsigned int n_adjoint          = 0;
    unsigned int n_incremental      = 0;
    unsigned int n_linear_solves    = 0;
    /// Linear solves of one forward run (the unit of "forward-solve
    /// equivalents").
    unsigned int solves_per_forward = 0;
  };

  /**
   * The reduced objective of stage 2: for a parameter vector $m$ of a
   * ParametricCoefficient $q(m)$, solve the model for the state $u(m)$ and
   * evaluate
   * $$J(m) = \frac{1}{2N}\sum_{k,j}
   *   \Big(\frac{(B u(\tau_k))_j - d_{kj}}{\sigma}\Big)^2 + R(m),$$
   * the mean squared misfit of the $N$ data in units of the noise level
   * $\sigma$ (so that $J \approx 1/2$ at the noise level) plus the
   * regularization. Steady models have one snapshot; transient ones observe
   * the states of the theta scheme, interpolated linearly in time.
   *
   * The gradient comes from one adjoint solve (a backward sweep over the
   * stored states for transient models: the exact discrete adjoint of the
   * theta scheme), and Gauss-Newton Hessian-vector products from one
   * incremental forward and one incremental adjoint solve. All
   * linearizations are those of the model's pointwise residual (Sacado),
   * through StateSolver; nothing depends on the model.
   *
   * The state solver's coefficient is set to @p coefficient. The state and
   * the gradient of the last evaluated $m$ are kept, so that value(),
   * gradient() and gauss_newton_vmult() at the same $m$ share the forward
   * and adjoint solves.
   */
  template <int dim>
  class ReducedObjective
  {
  public:
    /**
     * @param observation_times Empty for steady models.
     * @param data data[k][j], one snapshot per observation time.
     * @param sigma The noise level $\sigma > 0$ of the misfit.
     */
    ReducedObjective(const Model<dim> &                      model,
                     StateSolver<dim> &                      solver,
                     ParametricCoefficient<dim> &            coefficient,
                     const ObservationOperator<dim> &        observation_operator,
                     const std::vector<double> &             observation_times,
                     const std::vector<std::vector<double>> &data,
                     const double                            sigma,
                     const TimeParameters &                  time,
                     const Regularization<dim> *             regularization);

    /// $J(m)$.
    double
    value(const LA::Vector &m);

    /// @p gradient = $\nabla J(m)$ (layout of the parameter vector).
    void
    gradient(const LA::Vector &m, LA::Vector &gradient);

    /// @p result = $H_{GN}(m)\,v$: the Gauss-Newton Hessian of the misfit
    /// plus the Hessian of the regularization.
    void
    gauss_newton_vmult(const LA::Vector &m,
                       const LA::Vector &direction,
                       LA::Vector &      result);

    /**
     * @p result = $P^{-1} v$, the preconditioner of Newton-CG: the inverse of
     * the regularization's SPD approximation of its Hessian
     * (Regularization::apply_preconditioner_inverse()), or the identity
     * without regularization.
     */
    void
    precondition(const LA::Vector &direction, LA::Vector &result) const;

    /// The misfit term of the last evaluated $m$.
    double
    misfit() const;

    /// The regularization term of the last evaluated $m$.
    double
    regularization_value() const;

    /// The predictions $B u(\tau_k)$ of the last evaluated $m$.
    const std::vector<std::vector<double>> &
    predictions() const;

    /// The state at the last time (steady: the state) of the last
    /// evaluated $m$, ghosted.
    const LA::Vector &
    final_state() const;

    const ObjectiveStatistics &
    statistics() const;

    /// Forget the stored state, for example after the regularization weight
    /// changed.
    void
    invalidate();

  private:
    /// Solve the model at @p m unless it was the last one.
    void
    update(const LA::Vector &m);

    /// The forward sweep: states, predictions, misfit.
    void
    solve_forward();

    /**
     * The backward sweep for the data-space weights @p weights[k][j]
     * (derivative of an objective with respect to the predictions):
     * @p gradient = $(dP/dm)^T w$, the product of the transposed Jacobian of
     * the parameter-to-observable map with $w$.
     */
    void
    adjoint_sweep(const std::vector<std::vector<double>> &weights,
                  LA::Vector &                            gradient);

    /// $(dP/dm)\,\delta m$: one incremental forward sweep.
    std::vector<std::vector<double>>
    incremental_sweep(const LA::Vector &direction);

    /// The linearizations of the time stepping at the state of step n.
    enum class Linearization
    {
      /// $A_n = w_s m'(u^n) + w_r F_u(u^n)$ at the implicit weights
      /// $(1/\Delta t, \theta)$; steady: $F_u(u)$.
      implicit,
      implicit_transpose,
      /// $E_{n+1} = \partial R_{n+1}/\partial u^n$: the explicit weights
      /// $(-1/\Delta t, 1 - \theta)$.
      explicit_part,
      explicit_transpose
    };

    /// The matrix of @p kind at the state of step @p n, assembled if it is
    /// not at hand (linear models assemble each kind once per $m$).
    StateMatrix &
    linearization(const Linearization kind, const unsigned int n);

    /// Zero on the constrained entries distributed, as a ghosted vector.
    LA::Vector
    distributed(const LA::Vector &condensed) const;

    /// The observation sources of step @p n: per step the list of
    /// (snapshot, weight).
    std::vector<std::vector<std::pair<unsigned int, double>>> step_snapshots;

    const Model<dim> &                 model;
    StateSolver<dim> &                 solver;
    ParametricCoefficient<dim> &       coefficient;
    const ObservationOperator<dim> &   observation_operator;
    const std::vector<std::vector<double>> data;
    const double                       sigma;
    const TimeParameters               time;
    const Regularization<dim> *        regularization;
    const bool                         transient;
    const unsigned int                 n_data;

    /// The parameter vector of the stored state.
    LA::Vector                       current_m;
    bool                             have_state = false;
    /// The states u^0, ..., u^N (steady: one), ghosted.
    std::vector<LA::Vector>          states;
    std::vector<double>              step_times;
    std::vector<std::vector<double>> current_predictions;
    /// The gradient at current_m, if computed.
    std::optional<LA::Vector>        current_gradient;
    double                           current_misfit         = 0.;
    double                           current_regularization = 0.;

    /// The matrices of each Linearization and the step they were assembled
    /// at (none: not assembled for the current m).
    std::array<StateMatrix, 4>                 matrices;
    std::array<std::optional<unsigned int>, 4> matrix_steps;

    ObjectiveStatistics stats;
  };
} // namespace mollifem

#endif
