#ifndef mollifem_inverse_optimizer_h
#define mollifem_inverse_optimizer_h

#include <deal.II/optimization/rol/vector_adaptor.h>

#include <mollifem/base/linear_algebra.h>
#include <mollifem/inverse/inverse_parameters.h>
#include <mollifem/inverse/reduced_objective.h>

#include <functional>
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
    explicit ParameterVector(const Teuchos::RCP<LA::Vector> &vector);

    double
    reduce(const ROL::Elementwise::ReductionOp<double> &r) const override;

    Teuchos::RCP<ROL::Vector<double>>
    clone() const override;

    Teuchos::RCP<ROL::Vector<double>>
    basis(const int i) const override;
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
   * truncated CG on the Gauss-Newton Hessian) or "L-BFGS line search".
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

    /// The gradient norm at the start of the last solve().
    double
    initial_gradient_norm() const;

  private:
    const Stage2Parameters           parameters;
    ReducedObjective<dim> &          objective;
    std::optional<LA::Vector>        lower, upper;
    double                           last_initial_gradient = 0.;
  };
} // namespace mollifem

#endif
