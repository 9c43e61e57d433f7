#ifndef mollifem_models_state_solver_h
#define mollifem_models_state_solver_h

#include <deal.II/base/index_set.h>
#include <deal.II/base/smartpointer.h>

#include <deal.II/dofs/dof_handler.h>

#include <deal.II/fe/mapping_q.h>

#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/trilinos_precondition.h>
#include <deal.II/lac/trilinos_solver.h>

#include <mollifem/base/linear_algebra.h>
#include <mollifem/coefficient/coefficient.h>
#include <mollifem/models/model.h>
#include <mollifem/models/solver_parameters.h>
#include <mollifem/models/time_parameters.h>

#include <functional>
#include <memory>

namespace mollifem
{
  /**
   * Work counters of a StateSolver, for reports and for the cost of an
   * inversion in forward-solve equivalents.
   */
  struct SolverStatistics
  {
    unsigned int n_linear_solves       = 0;
    unsigned int n_linear_iterations   = 0;
    unsigned int n_newton_iterations   = 0;
    unsigned int n_jacobian_assemblies = 0;
    unsigned int n_time_steps          = 0;
  };

  /**
   * A matrix on the state space together with what solving with it needs
   * (an AMG preconditioner or a sparse direct factorization), built on first
   * use and kept until the matrix is reassembled.
   */
  struct StateMatrix
  {
    LA::SparseMatrix                                   matrix;
    std::unique_ptr<TrilinosWrappers::PreconditionAMG> amg;
    std::unique_ptr<TrilinosWrappers::SolverDirect>    direct_solver;
    std::unique_ptr<SolverControl>                     direct_control;

    /// Forget the preconditioner (after the matrix changed).
    void
    invalidate()
    {
      amg.reset();
      direct_solver.reset();
      direct_control.reset();
    }
  };

  /**
   * Discretizes and solves a Model on a mesh: the state space (the model's
   * finite element with hanging-node and Dirichlet constraints), assembly of
   * the residual and of its Jacobian from the pointwise weak form (the
   * Jacobian by Sacado AD), Newton's method, and the theta time stepping of
   * TimeParameters.
   *
   * For linear models one Newton step solves each system, and the Jacobian
   * and its preconditioner are kept as long as the coefficient and the time
   * step stay the same (every step of a transient run reuses them).
   */
  template <int dim>
  class StateSolver
  {
  public:
    /// Called after each time step (step 0: the initial state) with the
    /// ghosted state.
    using Observer =
      std::function<void(unsigned int step, double time, const LA::Vector &)>;

    /// The state space of @p model's own finite element on @p triangulation.
    StateSolver(const Model<dim> &        model,
                const Triangulation<dim> &triangulation,
                const SolverParameters &  parameters);

    /**
     * The state space of a program's own @p dof_handler, with its finite
     * element and its numbering of the degrees of freedom (distributed
     * already; it must outlive this object, and not change while it is
     * used): states are vectors of that space, so the program can use them
     * as its own. The element needs one component per state component of
     * @p model; the model's make_finite_element() is not used.
     */
    StateSolver(const Model<dim> &       model,
                const DoFHandler<dim> &  dof_handler,
                const SolverParameters & parameters);

    /// Build constraints and sparsity on the current mesh (distributing
    /// the degrees of freedom first if the space is this object's own).
    void
    setup();

    /**
     * The coefficient of the model; it must live as long as this object is
     * used. Call again after changing the field, so that stored Jacobians are
     * rebuilt.
     */
    void
    set_coefficient(const CoefficientField<dim> &coefficient);

    /// Solve the steady problem. @p solution (ghosted) is the initial guess
    /// on input (Dirichlet values are applied) and the solution on output.
    /// With SolverParameters::pseudo_time_step > 0, nonlinear models go
    /// through pseudo-transient continuation first.
    void
    solve_steady(LA::Vector &solution);

    /// Solve the transient problem from the model's initial condition (or
    /// from @p initial_state, owned or ghosted, if given) over the interval
    /// of @p time, calling @p observer after every step.
    void
    solve_transient(const TimeParameters &time,
                    const Observer &      observer,
                    const LA::Vector *    initial_state = nullptr);

    const DoFHandler<dim> &
    dof_handler() const;

    const Mapping<dim> &
    mapping() const;

    /// Hanging-node constraints and homogeneous Dirichlet constraints.
    const AffineConstraints<double> &
    homogeneous_constraints() const;

    /// A vector with the locally owned entries of the state space.
    LA::Vector
    make_owned_vector() const;

    /// A vector with the locally relevant entries of the state space.
    LA::Vector
    make_ghosted_vector() const;

    const SolverStatistics &
    statistics() const;

    /**
     * @name Linearizations for adjoint methods
     * (source/models/state_solver_adjoint.cc). Vectors on the state space
     * that are solved for or assembled here are "condensed": zero in the
     * entries of constrained degrees of freedom; distribute them with
     * homogeneous_constraints() before evaluating them on cells.
     */
    /// @{

    /// A matrix with the sparsity pattern of the state space.
    void
    reinit_matrix(StateMatrix &matrix) const;

    /**
     * Assemble $w_s m'(u) + w_r \partial_u F(u; q, t)$ at @p ghosted_state,
     * condensed by the homogeneous constraints, into @p matrix, or its
     * transpose if @p transpose.
     */
    void
    assemble_linearization(const LA::Vector &ghosted_state,
                           const double      time,
                           const double      storage_weight,
                           const double      residual_weight,
                           const bool        transpose,
                           StateMatrix &     matrix);

    /// Solve @p matrix x = @p rhs (condensed) with the linear solver of the
    /// parameters.
    void
    solve(StateMatrix &matrix, const LA::Vector &rhs, LA::Vector &x);

    /**
     * @p gradient += @p weight $(\partial F/\partial m)^T \lambda$ with
     * $F = F(u; q(m), t)$ at @p ghosted_state and the adjoint
     * @p ghosted_adjoint (distributed), for the parameters of @p coefficient,
     * which must be the coefficient of set_coefficient(). Compresses
     * @p gradient.
     */
    void
    add_coefficient_gradient(const LA::Vector &                  ghosted_state,
                             const LA::Vector &                  ghosted_adjoint,
                             const double                        time,
                             const double                        weight,
                             const ParametricCoefficient<dim> &  coefficient,
                             LA::Vector &                        gradient);

    /**
     * @p result += @p weight $(\partial F/\partial m)\,\delta m$
     * (condensed), where $\delta m$ is the direction set in @p coefficient
     * (ParametricCoefficient::set_direction()). Compresses @p result.
     */
    void
    add_coefficient_derivative(const LA::Vector &                 ghosted_state,
                               const double                       time,
                               const double                       weight,
                               const ParametricCoefficient<dim> & coefficient,
                               LA::Vector &                       result);
    /// @}

  private:
    /**
     * Values and gradients at the quadrature points of @p fe_values
     * (reinitialized on @p cell) of the (ghosted) vector @p v, read through
     * the cell's dof indices (left in @p dof_indices): unlike
     * FEValues::get_function_values() for Trilinos vectors, no temporary
     * vector per cell.
     */
    static void
    cell_values(const FEValues<dim> &                                   fe_values,
                const typename DoFHandler<dim>::active_cell_iterator & cell,
                const LA::Vector &                                      v,
                std::vector<types::global_dof_index> &                  dof_indices,
                std::vector<Vector<double>> &                           values,
                std::vector<std::vector<Tensor<1, dim>>> &              gradients);

    /// Hanging-node constraints plus $u = g_D(t)$ on Dirichlet boundaries.
    void
    make_constraints(const double               time,
                     const bool                 homogeneous,
                     AffineConstraints<double> &constraints) const;

    /**
     * Assemble w_s m(u) + w_r F(u, time) into @p residual (if given) and its
     * derivative with respect to u into the Jacobian (if requested), both
     * through the homogeneous constraints.
     */
    void
    assemble(const LA::Vector &ghosted_state,
             const double      time,
             const double      storage_weight,
             const double      residual_weight,
             LA::Vector *      residual,
             LA::SparseMatrix *jacobian,
             const bool        transpose = false);

    /**
     * Loop over the quadrature points of the locally owned cells with the
     * state at @p ghosted_state: calls @p worker with the FEValues (on the
     * cell), the quadrature point index, and the derivatives
     * $\partial r_{0,c}/\partial q$, $\partial r_{1,c}/\partial q$ of the
     * model's residual there, and @p cell_done with the FEValues and the
     * cell and its dof indices after its last quadrature point.
     */
    void
    for_each_coefficient_derivative(
      const LA::Vector &ghosted_state,
      const double      time,
      const std::function<void(const FEValues<dim> &,
                               unsigned int,
                               const std::vector<double> &,
                               const std::vector<Tensor<1, dim>> &)> &worker,
      const std::function<
        void(const FEValues<dim> &,
             const typename DoFHandler<dim>::active_cell_iterator &,
             const std::vector<types::global_dof_index> &)> &cell_done);

    /**
     * Newton's method for w_s m(u) + w_r F(u, time) + constant = 0. @p state
     * (owned) satisfies the Dirichlet constraints on input and is the
     * solution on output.
     */
    void
    newton_solve(LA::Vector &      state,
                 const double      time,
                 const double      storage_weight,
                 const double      residual_weight,
                 const LA::Vector *constant);

    /**
     * Implicit Euler steps of the transient form m(u)' + F(u) = 0 from
     * @p state (owned) with steps doubling from
     * SolverParameters::pseudo_time_step (a quarter after a step whose
     * Newton iteration fails), until the state stops moving or the steady
     * residual has dropped by the Newton tolerance (long steps are Newton's
     * method on F(u) = 0).
     */
    void
    pseudo_transient_continuation(LA::Vector &state);


    const Model<dim> &                        model;
    SmartPointer<const Triangulation<dim>>    triangulation;
    const SolverParameters                    parameters;
    std::unique_ptr<FiniteElement<dim>>       fe;
    MappingQ<dim>                             mapping_q;
    /// The state space: own_dofs, or a program's (the second constructor).
    std::unique_ptr<DoFHandler<dim>>          own_dofs;
    const DoFHandler<dim> &                   dofs;
    IndexSet                                  owned_dofs;
    IndexSet                                  relevant_dofs;
    AffineConstraints<double>                 zero_constraints;
    const CoefficientField<dim> *             coefficient;

    /// The sparsity pattern of the state space.
    LA::SparsityPattern                       sparsity;
    /// The Jacobian of Newton's method.
    StateMatrix                               jacobian;
    /// The weights (w_s, w_r) the stored Jacobian was assembled with; NaN if
    /// there is none.
    std::pair<double, double>                 jacobian_weights;

    SolverStatistics stats;
  };
} // namespace mollifem

#endif
