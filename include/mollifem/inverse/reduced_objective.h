#ifndef mollifem_inverse_reduced_objective_h
#define mollifem_inverse_reduced_objective_h

#include <mollifem/base/linear_algebra.h>
#include <mollifem/coefficient/coefficient.h>
#include <mollifem/data/observation_operator.h>
#include <mollifem/inverse/recycled_preconditioner.h>
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
    /// Forward runs at trial points whose state solve did not converge
    /// (counted in n_forward too).
    unsigned int n_failed_forward   = 0;
    unsigned int n_adjoint          = 0;
    unsigned int n_incremental      = 0;
    unsigned int n_linear_solves    = 0;
    /// Linear solves of one forward run (the unit of "forward-solve
    /// equivalents").
    unsigned int solves_per_forward = 0;
    /// Wall time [s] of the first forward run (all experiments), the unit
    /// of forward-solve equivalents measured in time.
    double forward_seconds = 0.;
  };

  /**
   * The data of one experiment of an inversion: a model (its sources,
   * boundary and initial data), the state solver on the inversion mesh, and
   * its observations with their noise level. All experiments share the
   * coefficient and the observation points.
   */
  template <int dim>
  struct ExperimentData
  {
    const Model<dim> &                      model;
    StateSolver<dim> &                      solver;
    const ObservationOperator<dim> &        observation_operator;
    /// Empty for steady models.
    const std::vector<double> &             observation_times;
    /// data[k][j], one snapshot per observation time.
    const std::vector<std::vector<double>> &data;
    /// The noise level $\sigma_e > 0$ of these data.
    double                                  sigma;
    /**
     * Optional: the state every forward solve starts from (owned layout of
     * the solver), instead of the previous state (steady: Newton's initial
     * guess) or the model's initial condition (transient: at the start time
     * of the time parameters).
     */
    const LA::Vector *initial_state = nullptr;
  };



  /**
   * The reduced objective of stage 2: for a parameter vector $m$ of a
   * ParametricCoefficient $q(m)$, solve the model of every experiment $e$
   * for its state $u_e(m)$ and evaluate
   * $$J(m) = \frac{1}{2N}\sum_e\sum_{k,j}
   *   \Big(\frac{(B u_e(\tau_k))_j - d_{e,kj}}{\sigma_e}\Big)^2 + R(m),$$
   * the mean squared misfit of all $N$ data in units of their noise levels
   * (so that $J \approx 1/2$ at the noise level) plus the regularization.
   * Steady models have one snapshot; transient ones observe the states of the
   * theta scheme, interpolated linearly in time.
   *
   * The gradient comes from one adjoint solve per experiment (a backward
   * sweep over the stored states for transient models: the exact discrete
   * adjoint of the theta scheme), and Gauss-Newton Hessian-vector products
   * from one incremental forward and one incremental adjoint solve per
   * experiment. All linearizations are those of the model's pointwise
   * residual (Sacado), through StateSolver; nothing depends on the model.
   *
   * The state solvers' coefficient is set to @p coefficient. The states and
   * the gradient of the last evaluated $m$ are kept, so that value(),
   * gradient() and gauss_newton_vmult() at the same $m$ share the forward
   * and adjoint solves.
   */
  template <int dim>
  class ReducedObjective
  {
  public:
    /**
     * @param experiments At least one; all steady or all transient, with
     *   solvers on the same mesh and operators for the same points.
     * @param coefficient The unknown field q(m), shared by the experiments.
     * @param time The time stepping of transient models.
     * @param regularization May be null (none).
     */
    ReducedObjective(const std::vector<ExperimentData<dim>> &experiments,
                     ParametricCoefficient<dim> &             coefficient,
                     const TimeParameters &                   time,
                     const ParameterRegularization *              regularization);

    /**
     * One experiment.
     * @param model The forward model.
     * @param solver Its state solver on the inversion mesh.
     * @param coefficient The unknown field q(m).
     * @param observation_operator The observation points on that mesh.
     * @param observation_times Empty for steady models.
     * @param data data[k][j], one snapshot per observation time.
     * @param sigma The noise level $\sigma > 0$ of the misfit.
     * @param time The time stepping of transient models.
     * @param regularization May be null (none).
     */
    ReducedObjective(const Model<dim> &                      model,
                     StateSolver<dim> &                      solver,
                     ParametricCoefficient<dim> &            coefficient,
                     const ObservationOperator<dim> &        observation_operator,
                     const std::vector<double> &             observation_times,
                     const std::vector<std::vector<double>> &data,
                     const double                            sigma,
                     const TimeParameters &                  time,
                     const ParameterRegularization *             regularization);

    ~ReducedObjective();

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
     * @p result = $P^{-1} v$, the preconditioner of Newton-CG at @p m: the
     * inverse of the regularization's SPD approximation of its Hessian
     * (Regularization::apply_preconditioner_inverse()), or the identity
     * without regularization; with recycled pairs
     * (set_recycled_pairs()), their limited-memory inverse on top of it.
     */
    void
    precondition(const LA::Vector &m,
                 const LA::Vector &direction,
                 LA::Vector &      result);

    /**
     * Precondition Newton-CG at a point with the limited-memory inverse
     * from up to @p n Gauss-Newton products of the point before
     * (RecycledPreconditioner); 0: only the regularization's
     * preconditioner.
     */
    void
    set_recycled_pairs(const unsigned int n);

    /// Drop the recycled pairs (a checkpoint, which does not hold them:
    /// the next step starts without them, as a resumed run does).
    void
    forget_recycled_pairs();

    /// The diagonal of the regularization's preconditioner
    /// (ParameterRegularization::preconditioner_diagonal()); false without
    /// one.
    bool
    preconditioner_diagonal(LA::Vector &diagonal) const;

    /// @p result = the regularization's Hessian at @p m times @p direction
    /// (no state solve); false without regularization.
    bool
    regularization_hessian_vmult(const LA::Vector &m,
                                 const LA::Vector &direction,
                                 LA::Vector &      result) const;

    /// The misfit term of the last evaluated $m$.
    double
    misfit() const;

    /// The regularization term of the last evaluated $m$.
    double
    regularization_value() const;

    unsigned int
    n_experiments() const;

    /// N, the number of data of all experiments: N J(m) is the negative
    /// log-likelihood (plus N R(m)).
    unsigned int
    n_data_total() const;

    /// The predictions $B u_e(\tau_k)$ of experiment @p e at the last
    /// evaluated $m$.
    const std::vector<std::vector<double>> &
    predictions(const unsigned int e = 0) const;

    /// The state of experiment @p e at the last time (steady: the state) of
    /// the last evaluated $m$, ghosted.
    const LA::Vector &
    final_state(const unsigned int e = 0) const;

    const ObjectiveStatistics &
    statistics() const;

    /// Forget the stored state, for example after the regularization weight
    /// changed.
    void
    invalidate();

    /**
     * Correct the model's predictions by an estimate @p error of their
     * discretization error (error[e][k][j] in the data's units, one per
     * datum of experiment e): from now on the misfit compares
     * $(B u_e(\tau_k))_j - \text{error}_{e,kj}$ with the data, i.e. the
     * predictions with the data plus the error. predictions() stay the
     * model's own. An empty @p error removes the correction. The stored
     * states stay; the misfit is recomputed and the gradient forgotten.
     */
    void
    set_prediction_correction(
      const std::vector<std::vector<std::vector<double>>> &error);

    /**
     * Add the linear term $-\langle v, m\rangle$ to the objective from now
     * on (value() and gradient(); the Hessian, misfit() and
     * regularization_value() are those without it): the coarse model of
     * MG/OPT, $J_c(m) - \langle g_c(m_0) - R\,g_f, m\rangle$, whose gradient
     * at the restricted fine iterate $m_0$ is the restricted fine gradient.
     * An empty @p v removes the term.
     */
    void
    set_linear_term(const LA::Vector &v);

    /**
     * Take @p states[e] as the solution of experiment e's next steady solve,
     * which must be at the parameters the states belong to; later steady
     * solves start from it, as they start from the last state. A resumed
     * run continues with the very state the interrupted one had, so that
     * its solves start where the interrupted run's would have. Transient
     * experiments ignore it.
     */
    void
    adopt_states(const std::vector<LA::Vector> &states);

    /**
     * The states the next steady solves start from (the last ones solved
     * or restored), one per experiment; none before the first solve or for
     * transient experiments. A checkpoint holds them for MG/OPT's coarse
     * model, so that a resumed run solves it as the uninterrupted run.
     */
    std::vector<LA::Vector>
    start_states() const;

    /// Start the next steady solves from @p states (an initial guess only,
    /// unlike adopt_states()).
    void
    set_start_states(const std::vector<LA::Vector> &states);

  private:
    /// adopt_states() (@p as_solutions) and set_start_states().
    void
    take_states(const std::vector<LA::Vector> &states, const bool as_solutions);

    /// The states, linearizations and sweeps of one experiment
    /// (source/inverse/reduced_objective.cc).
    class Experiment;

    /**
     * Solve the models at @p m unless it was the last one. Returns false
     * if a state solve did not converge at @p m (not at the first point,
     * where that throws): value() is then NaN, and the states of the last
     * point are kept.
     */
    bool
    update(const LA::Vector &m);

    /// Tell the recycled pairs (if any) that products or preconditioning
    /// are asked for at @p m, with the current regularization weight.
    void
    move_recycled_pairs_to(const LA::Vector &m);

    /// Exchange the current point and the kept previous one (steady models).
    void
    swap_with_previous();

    ParametricCoefficient<dim> &              coefficient;
    const ParameterRegularization *               regularization;
    std::vector<std::unique_ptr<Experiment>>  experiments;
    /// The number of data of all experiments.
    unsigned int                              n_data = 0;

    /// The parameter vector of the stored states.
    LA::Vector                 current_m;
    bool                       have_state = false;
    /// The gradient at current_m, if computed.
    std::optional<LA::Vector>  current_gradient;
    double                     current_misfit         = 0.;
    double                     current_regularization = 0.;
    /// Steady models: the point evaluated before current_m, with all that
    /// was stored for it (update()).
    struct Evaluation
    {
      LA::Vector                                    m;
      std::optional<LA::Vector>                     gradient;
      double                                        misfit         = 0.;
      double                                        regularization = 0.;
      std::vector<std::vector<LA::Vector>>          states;
      std::vector<std::vector<std::vector<double>>> predictions;
    };
    std::optional<Evaluation> previous;

    /// set_linear_term()'s v (empty: none).
    LA::Vector linear_term;

    /// set_recycled_pairs() (none: off).
    std::unique_ptr<RecycledPreconditioner> recycled;

    ObjectiveStatistics stats;
  };
} // namespace mollifem

#endif
