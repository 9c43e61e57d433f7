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

    StateSolver(const Model<dim> &        model,
                const Triangulation<dim> &triangulation,
                const SolverParameters &  parameters);

    /// Distribute the degrees of freedom and build constraints and sparsity
    /// on the current mesh.
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
    void
    solve_steady(LA::Vector &solution);

    /// Solve the transient problem from the model's initial condition over
    /// the interval of @p time, calling @p observer after every step.
    void
    solve_transient(const TimeParameters &time, const Observer &observer);

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

  private:
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
             const bool        jacobian);

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

    /// Solve Jacobian * x = rhs; rebuild the preconditioner if @p new_matrix.
    void
    solve_linear(const LA::Vector &rhs, LA::Vector &x, const bool new_matrix);

    const Model<dim> &                        model;
    SmartPointer<const Triangulation<dim>>    triangulation;
    const SolverParameters                    parameters;
    std::unique_ptr<FiniteElement<dim>>       fe;
    MappingQ<dim>                             mapping_q;
    DoFHandler<dim>                           dofs;
    IndexSet                                  owned_dofs;
    IndexSet                                  relevant_dofs;
    AffineConstraints<double>                 zero_constraints;
    const CoefficientField<dim> *             coefficient;

    LA::SparseMatrix                          jacobian;
    /// The weights (w_s, w_r) the stored Jacobian was assembled with; NaN if
    /// there is none.
    std::pair<double, double>                 jacobian_weights;
    std::unique_ptr<TrilinosWrappers::PreconditionAMG> amg;
    std::unique_ptr<TrilinosWrappers::SolverDirect>    direct_solver;
    std::unique_ptr<SolverControl>                     direct_control;

    SolverStatistics stats;
  };
} // namespace mollifem

#endif
