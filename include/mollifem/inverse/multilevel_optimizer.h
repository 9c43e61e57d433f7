#ifndef mollifem_inverse_multilevel_optimizer_h
#define mollifem_inverse_multilevel_optimizer_h

#include <deal.II/lac/la_parallel_vector.h>

#include <deal.II/multigrid/mg_transfer_global_coarsening.h>

#include <mollifem/base/linear_algebra.h>
#include <mollifem/coefficient/fe_field_coefficient.h>
#include <mollifem/inverse/inverse_parameters.h>
#include <mollifem/inverse/optimizer.h>
#include <mollifem/inverse/reduced_objective.h>

#include <functional>
#include <memory>
#include <vector>

namespace mollifem
{
  /**
   * The transfer of an FE field's parameters between nested meshes with the
   * same coarse mesh (levels of grid sequencing), each on its own
   * triangulation and partition: deal.II's MGTwoLevelTransfer (global
   * coarsening) with the fields' hanging-node constraints, between two
   * fields whose cells are refined at most once from one to the other, or
   * through a chain of such fields.
   */
  template <int dim>
  class FieldTransfer
  {
  public:
    /// Between @p fine and @p coarse, every cell of @p coarse refined at
    /// most once in @p fine.
    FieldTransfer(const FEFieldCoefficient<dim> &fine,
                  const FEFieldCoefficient<dim> &coarse);

    /// Through @p fields, from the finest to the coarsest (at least two),
    /// every cell of one refined at most once in the one before.
    explicit FieldTransfer(
      const std::vector<const FEFieldCoefficient<dim> *> &fields);

    /// @p fine = P @p coarse: the coarse field interpolated on the fine
    /// mesh (exact for nested Lagrange elements), fine constraints applied.
    void
    prolongate(const LA::Vector &coarse, LA::Vector &fine) const;

    /// @p coarse = P^T @p fine for a dual vector (a gradient), so that
    /// <P^T g, e> = <g, P e>.
    void
    restrict_dual(const LA::Vector &fine, LA::Vector &coarse) const;

    /// @p coarse = the fine field's nodal values at the coarse nodes
    /// (injection).
    void
    interpolate(const LA::Vector &fine, LA::Vector &coarse) const;

  private:
    using Vector = LinearAlgebra::distributed::Vector<double>;

    /// The owned entries of @p v in the transfer's vector type, on
    /// @p field's unknowns.
    static Vector
    convert(const FEFieldCoefficient<dim> &field, const LA::Vector &v);

    /// @p v as a parameter vector of @p field.
    static LA::Vector
    convert(const FEFieldCoefficient<dim> &field, const Vector &v);

    /// @p operation (one of the transfer's, adding into its first argument)
    /// applied to @p v on @p from's unknowns, with the result on @p to's.
    static LA::Vector
    apply(const FEFieldCoefficient<dim> &                      from,
          const FEFieldCoefficient<dim> &                      to,
          const LA::Vector &                                   v,
          const std::function<void(Vector &, const Vector &)> &operation);

    /// From the finest to the coarsest.
    const std::vector<const FEFieldCoefficient<dim> *> fields;
    /// transfers[i] between fields[i] and fields[i + 1].
    std::vector<std::unique_ptr<MGTwoLevelTransfer<dim, Vector>>> transfers;
  };



  /**
   * MG/OPT (Nash 2000; Lewis and Nash 2005), two levels: minimize the fine
   * objective $J_f$ with steps computed on the coarse mesh. A cycle at the
   * iterate $m$ with the fine gradient $g_f$
   * 1. with Stage2Parameters::multilevel_smoothing, takes a smoothing
   *    step $s$ for the part of the gradient the coarser mesh cannot
   *    represent: a damped Jacobi step $-\frac23 D^{-1} g_f$ with the
   *    diagonal $D$ of the regularization's preconditioner (if it has
   *    one), less its prolongated interpolant on the coarse field (the
   *    coarse correction's part), and estimates the gradient after it,
   *    $\tilde g_f = g_f + R s$, with the regularization's Hessian $R$
   *    alone (no solve; without smoothing $s = 0$, $\tilde g_f = g_f$);
   * 2. restricts the iterate, $m_0 = I m$ (injection), and optimizes the
   *    first-order coherent coarse model
   *    $J_c(m_c) - \langle g_c(m_0) - P^T \tilde g_f, m_c\rangle$, whose
   *    gradient at $m_0$ is $P^T \tilde g_f$, with the coarse optimizer
   *    (trust-region Newton-CG on the Gauss-Newton Hessian of the coarse
   *    mesh);
   * 3. prolongates the correction, $e = P(m_c - m_0) + s$, and takes
   *    $m + \alpha e$ with a backtracking (Armijo) line search on $J_f$
   *    from $\alpha = 1$.
   *
   * The Hessian-vector products are made on the coarse mesh; a cycle costs
   * the fine mesh one gradient (a forward and an adjoint solve) and the
   * line search's further forward solves. It stops (converged) when the
   * fine gradient meets the gradient tolerance, after a cycle that
   * decreased $N J_f$ by less than the statistical tolerance
   * (Stage2Parameters) with a small predicted rest, or before a cycle whose
   * predicted decrease (the coarse model's plus a bound of the smoothing
   * step's) and rest are below it; it gives up (not converged) when a line
   * search finds no decrease or after the iteration limit of cycles.
   */
  template <int dim>
  class MultilevelOptimizer
  {
  public:
    /**
     * @param parameters Stage 2's tolerances; multilevel_cycles is the
     *   limit of cycles.
     * @param fine, fine_field, fine_optimizer The fine problem (the
     *   optimizer for its inner product and gradient norm).
     * @param coarse, coarse_field, coarse_optimizer The same problem on the
     *   coarser mesh; each cycle's coarse optimization takes at most
     *   multilevel_coarse_iterations steps, with the coarse optimizer's
     *   tolerances (its gradient tolerance relative to the coarse model's
     *   initial gradient, the restricted fine one).
     * @param between The fields of the levels between the fine and the
     *   coarse one (Stage2Parameters::multilevel_coarse_depth), from the
     *   finest, through which the transfers pass.
     */
    MultilevelOptimizer(
      const Stage2Parameters &                            parameters,
      ReducedObjective<dim> &                             fine,
      const FEFieldCoefficient<dim> &                     fine_field,
      const Optimizer<dim> &                              fine_optimizer,
      ReducedObjective<dim> &                             coarse,
      const FEFieldCoefficient<dim> &                     coarse_field,
      Optimizer<dim> &                                    coarse_optimizer,
      const std::vector<const FEFieldCoefficient<dim> *> &between = {});

    /**
     * Minimize from @p m, which holds the final iterate on return.
     * @p monitor is called for the initial point (iteration 0) and after
     * every cycle, with the fine objective. The gradient tolerance is
     * relative to @p reference_gradient_norm if positive, else to the
     * gradient norm at @p m. With @p from, an interrupted run continues:
     * after its cycle from->iteration (not reported again), relative to
     * its reference gradient and with its last decrease, taking the
     * cycles it would have taken.
     */
    OptimizerResult
    solve(LA::Vector &                                        m,
          const std::function<void(const IterationReport &)> &monitor,
          const double                 reference_gradient_norm = 0.,
          const OptimizerContinuation *from                    = nullptr);

  private:
    /**
     * The smoothing step from @p m with the @p gradient there: the damped
     * Jacobi step $-\frac23 D^{-1} g$ with the @p diagonal D of the
     * regularization's preconditioner (zero where D is not positive), less
     * its prolongated interpolant on the coarse field, the part the coarse
     * correction makes. @p smoothed_gradient = $g + R s$, the gradient
     * after the step estimated with the regularization's Hessian R alone,
     * which dominates in the rough directions it takes. Returns an upper
     * bound of what the step lowers the objective by on its quadratic
     * model, $(g \cdot s)^2 / (2 s^T R s)$ (the data's Gauss-Newton part
     * is positive semidefinite, so $H \ge R$); infinite without
     * regularization.
     */
    double
    rough_smoothing_step(const LA::Vector &m,
                         const LA::Vector &gradient,
                         const LA::Vector &diagonal,
                         LA::Vector &      step,
                         LA::Vector &      smoothed_gradient) const;

    /**
     * Backtracking (Armijo, quadratic interpolation) from @p m with the
     * objective @p value and @p gradient there along @p direction: true
     * with the accepted step length @p alpha (the objective evaluated
     * there last), false if @p direction is no descent direction or six
     * trials found no sufficient decrease (the objective left at @p m).
     */
    bool
    line_search(const LA::Vector &m,
                const LA::Vector &direction,
                const double      value,
                const LA::Vector &gradient,
                double &          alpha);

    const Stage2Parameters        parameters;
    ReducedObjective<dim> &       fine;
    const Optimizer<dim> &        fine_optimizer;
    ReducedObjective<dim> &       coarse;
    const FEFieldCoefficient<dim> &coarse_field;
    Optimizer<dim> &              coarse_optimizer;
    FieldTransfer<dim>            transfer;
  };
} // namespace mollifem

#endif
