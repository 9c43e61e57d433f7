#ifndef mollifem_inverse_optimizer_h
#define mollifem_inverse_optimizer_h

#include <deal.II/optimization/rol/vector_adaptor.h>

#include <mollifem/base/linear_algebra.h>
#include <mollifem/inverse/inverse_parameters.h>
#include <mollifem/inverse/reduced_objective.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace mollifem
{
  /**
   * The distributed parameter vector as a ROL vector: deal.II's
   * Rol::VectorAdaptor, with the reductions ROL uses for bound constraints
   * (minimum, maximum, sum over the entries) taken over all MPI ranks. The
   * adaptor of deal.II 9.4 reduces over the locally owned entries only.
   */
  class ParameterVector : public Rol::VectorAdaptor<LA::Vector>
  {
  public:
    /**
     * Wrap @p vector. With @p weights (positive, one per entry: a lumped
     * mass matrix W) the inner product is the weighted one, x^T W y, for a
     * vector of the parameter space, and x^T W^{-1} y for one of its dual
     * space (gradients, Hessian-vector products; @p dual_space), and dual()
     * maps between them (the Riesz map): ROL's steps, norms and stopping
     * tests then approximate those of the function space, independent of
     * the local cell size. Without weights: the Euclidean inner product of
     * the coefficients and dual() = identity.
     */
    explicit ParameterVector(
      const Teuchos::RCP<LA::Vector> &         vector,
      const std::shared_ptr<const LA::Vector> &weights    = nullptr,
      const bool                               dual_space = false);

    double
    reduce(const ROL::Elementwise::ReductionOp<double> &r) const override;

    Teuchos::RCP<ROL::Vector<double>>
    clone() const override;

    Teuchos::RCP<ROL::Vector<double>>
    basis(const int i) const override;

    double
    dot(const ROL::Vector<double> &other) const override;

    double
    norm() const override;

    const ROL::Vector<double> &
    dual() const override;

  private:
    std::shared_ptr<const LA::Vector> weights;
    bool                              dual_space;
    /// dual()'s result, kept because ROL takes it by reference.
    mutable Teuchos::RCP<ParameterVector> dual_vector;
  };



  /// One line of the optimizer's progress.
  struct IterationReport
  {
    unsigned int      iteration;
    double            value;
    double            misfit;
    double            regularization;
    double            gradient_norm;
    double            step_norm;
    /// The iterate.
    const LA::Vector &parameters;
    /// The trust region's radius for the next step (0 for line search).
    double            radius;
    /// MG/OPT: the decrease of N J in this cycle, which the next cycle's
    /// stopping test compares with (0 otherwise).
    double            decrease = 0.;
    /// The optimization stops after this iteration because its step
    /// decreased N J by less than the statistical tolerance.
    bool              stops_by_decrease = false;
    /// Trust-region Newton-CG: this step's decrease of the objective over
    /// the squared gradient norm it started from, if it was a Newton step
    /// (0 otherwise), which the next step's predicted decrease compares
    /// with.
    double            newton_ratio = 0.;
  };

  /**
   * Where an interrupted optimization continues (Optimizer::solve()): the
   * iterations done, the trust region's radius, and the gradient norm the
   * stopping test is relative to. The iterate is the parameter vector
   * passed to solve().
   */
  struct OptimizerContinuation
  {
    unsigned int iteration          = 0;
    double       radius             = 0.;
    double       reference_gradient = 0.;
    /// MG/OPT: the last cycle's decrease of N J (IterationReport::decrease).
    double       last_decrease      = 0.;
    /// The interrupted run was to stop there by the statistical tolerance
    /// (IterationReport::stops_by_decrease): no step is taken.
    bool         stopped_by_decrease = false;
    /// IterationReport::newton_ratio at the interruption.
    double       newton_ratio = 0.;
  };

  /// How an optimization ended.
  struct OptimizerResult
  {
    unsigned int iterations = 0;
    bool         converged  = false;
    /// "converged", "iteration limit", "step tolerance", ...
    std::string  reason;
  };

  /**
   * Stage 2's optimizer: Trilinos ROL on a ReducedObjective, with its value,
   * adjoint gradient and Gauss-Newton Hessian-vector products, optional
   * bounds on the parameters, and the algorithm and stopping tolerances of
   * Stage2Parameters: "trust-region Newton-CG" (ROL's trust-region step with
   * truncated CG on the Gauss-Newton Hessian, preconditioned with the
   * products of the last step as ReducedObjective::set_recycled_pairs()
   * describes; the constructor sets that up) or "L-BFGS line search".
   */
  template <int dim>
  class Optimizer
  {
  public:
    Optimizer(const Stage2Parameters &parameters,
              ReducedObjective<dim> & objective);

    /// Bounds on the parameter vector, entry by entry.
    void
    set_bounds(const LA::Vector &lower, const LA::Vector &upper);

    /**
     * Use the inner product weighted by @p weights (a lumped mass matrix of
     * the parameter space, see ParameterVector) instead of the Euclidean
     * one: for gradients, steps, the trust region and the stopping test.
     */
    void
    set_inner_product_weights(const LA::Vector &weights);

    /// The norm of a gradient (a dual vector) in the optimizer's inner
    /// product: what its gradient tolerance is relative to.
    double
    gradient_norm(const LA::Vector &gradient) const;

    /**
     * The limits of the following solve()s: at most @p iterations
     * iterations with at most @p cg_iterations CG iterations each
     * (the coarse models of MG/OPT).
     */
    void
    set_iteration_limits(const unsigned int iterations,
                         const unsigned int cg_iterations);

    /// The norm of a step (a vector of the parameter space) in the
    /// optimizer's inner product.
    double
    step_norm(const LA::Vector &step) const;

    /**
     * Minimize from @p parameters, which holds the final iterate on return
     * (also when the optimizer stops without converging). @p monitor is
     * called after every iteration (and for the initial guess, iteration 0).
     * The gradient tolerance is relative to the gradient norm at
     * @p parameters, or to @p reference_gradient_norm if it is positive (for
     * warm starts, whose initial gradient is already small).
     */
    OptimizerResult
    solve(LA::Vector &                                        parameters,
          const std::function<void(const IterationReport &)> &monitor,
          const double reference_gradient_norm = 0.);

    /**
     * Continue an optimization that reached @p from.iteration with the
     * iterate @p parameters (and, for trust-region Newton-CG, the radius
     * @p from.radius): the iterations are numbered on from there, the
     * iteration limit counts them, the stopping test is relative to
     * @p from.reference_gradient, and @p monitor is not called for the
     * starting point (it was reported before). Trust-region Newton-CG then
     * takes the steps the uninterrupted run takes; L-BFGS starts with an
     * empty memory.
     */
    OptimizerResult
    resume(LA::Vector &                                        parameters,
           const std::function<void(const IterationReport &)> &monitor,
           const OptimizerContinuation &                       from);

    /**
     * Only evaluate the objective and its gradient at @p parameters and
     * report them to @p monitor as iteration 0; no step. Returns 0
     * iterations, converged.
     */
    OptimizerResult
    evaluate(const LA::Vector &                                  parameters,
             const std::function<void(const IterationReport &)> &monitor);

    /// The gradient norm at the start of the last solve().
    double
    initial_gradient_norm() const;

    /**
     * Start the trust region of the following solve()s (trust-region
     * Newton-CG) with @p radius, in this optimizer's norm, for a warm start
     * from an optimization of the same problem on a coarser mesh (its
     * last_radius()). 0: ROL's own from a Cauchy step, which costs a
     * Hessian-vector product and a forward solve and cuts the first step
     * to the length of a steepest-descent step, where a warm start is
     * close enough for a full Newton step.
     */
    void
    set_initial_radius(const double radius);

    /**
     * Trust-region Newton-CG: the radius at the end of the last solve()
     * that took a step (0: none did). One that took none ended where it
     * started, at a converged point, where ROL's radius from a Cauchy step
     * scales with the (small) gradient and says nothing about the steps.
     */
    double
    last_radius() const;

    /**
     * With the statistical tolerance: let the following solve()s predict
     * the next Newton step's decrease from one Newton step (@p true), not
     * only from two in a row whose ratio grew at most twofold. Faster, less
     * safe: for
     * optimizations whose iterate another one polishes afterwards (the
     * discrepancy principle's trials, which only need the misfit to the
     * search's resolution before the final optimization at the chosen
     * weight).
     */
    void
    set_one_step_prediction(const bool one_step);

  private:
    Stage2Parameters                 parameters;
    ReducedObjective<dim> &          objective;
    std::optional<LA::Vector>        lower, upper;
    std::shared_ptr<const LA::Vector> weights;
    double                           last_initial_gradient = 0.;
    /// set_initial_radius(), last_radius().
    double                           initial_radius = 0.;
    double                           latest_radius  = 0.;
    /// set_one_step_prediction().
    bool                             one_step_prediction = false;

    /// solve() and resume().
    OptimizerResult
    run(LA::Vector &                                        parameters,
        const std::function<void(const IterationReport &)> &monitor,
        const double                                        reference_gradient_norm,
        const OptimizerContinuation *                       from);
  };
} // namespace mollifem

#endif
