#ifndef mollifem_inverse_equation_error_h
#define mollifem_inverse_equation_error_h

#include <deal.II/base/function.h>
#include <deal.II/base/quadrature.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/vector.h>

#include <mollifem/base/linear_algebra.h>
#include <mollifem/mollifier/targets.h>

#include <functional>
#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * Stage 1 of the inversion: the mollified equation error. Where a model's
   * strong form is linear in the coefficient q, inserting the mollified data
   * $\tilde u$ (and their derivatives) at the quadrature points of the
   * parameter mesh gives equations
   * $$a(x)\,q(x) + b(x)\cdot\nabla q(x) = g(x)$$
   * at every point, and $q_h = \sum_j q_j \varphi_j$ follows from one
   * regularized linear least-squares problem, without any forward solve:
   * $$\min_q \tfrac12 \sum_{s}\sum_x w_x \big(a q + b\cdot\nabla q - g\big)^2
   *   + \tfrac{\beta}{2}\|\nabla q\|^2 + \tfrac{\alpha}{2}\|q - q_0\|^2,$$
   * summed over snapshots s (of several experiments, each weighted). The
   * normal equations are symmetric positive definite; they are assembled
   * with the hanging-node constraints of the parameter space and solved by
   * CG with AMG.
   *
   * - Heat, $\partial_t u = \nabla\cdot(k\nabla u) + f$ (add_snapshot()):
   *   $a = \Delta\tilde u$, $b = \nabla\tilde u$,
   *   $g = \partial_t\tilde u - f$.
   * - Models without flux, $r_0(u, \nabla u, q) = 0$ affine in q, such as
   *   Langevin's $u' + \gamma u - \lambda - f$ (add_equations()):
   *   $a = \partial r_0/\partial q$, $b = 0$, $g = -r_0|_{q=0}$, a
   *   pointwise read-out smoothed by the regularization.
   *
   * Usage: build the targets (the quadrature points of the parameter mesh),
   * mollify the data there (ConvolutionOperator), add the equations of each
   * snapshot, then solve().
   */
  template <int dim>
  class EquationError
  {
  public:
    struct Settings
    {
      /// $\beta$: weight of $\|\nabla k\|^2$.
      double gradient_regularization = 1e-4;
      /// $\alpha$: weight of $\|k - k_0\|^2$.
      double l2_regularization = 1e-6;
      /// $k_0$, the reference conductivity of the L2 term.
      double reference = 1.;
    };

    EquationError(const DoFHandler<dim> &          parameter_dofs,
                  const AffineConstraints<double> &constraints,
                  const Mapping<dim> &             mapping,
                  const Quadrature<dim> &          quadrature,
                  const Settings &                 settings);

    /**
     * The coefficients of the equation at one target: called with the row
     * of the target in the mollified vectors (see targets()) and its point,
     * sets a, b and g.
     */
    using PointEquation = std::function<void(const types::global_dof_index row,
                                             const Point<dim> &           point,
                                             double &                     a,
                                             Tensor<1, dim> &             b,
                                             double &                     g)>;

    /// Add the equations $a q + b\cdot\nabla q = g$ at every target, with
    /// weight @p weight.
    void
    add_equations(const PointEquation &equation, const double weight = 1.);

    /// The points where the mollified data are needed: the quadrature
    /// points of the locally owned cells of the parameter mesh.
    const Targets<dim> &
    targets() const;

    /**
     * Add the heat equations of one snapshot. @p gradient holds dim vectors
     * (d/dx, d/dy, d/dz), @p laplacian one, all with the rows of targets();
     * @p time_derivative is null for steady data. @p source is $f$; its
     * time is set to @p time. The equations are weighted by @p weight (of
     * several experiments, for example, by the inverse of their noise
     * variances relative to the first).
     */
    void
    add_snapshot(const std::vector<LA::Vector> &gradient,
                 const LA::Vector &             laplacian,
                 const LA::Vector *             time_derivative,
                 Function<dim> &                source,
                 const double                   time   = 0.,
                 const double                   weight = 1.);

    /// Solve the normal equations; @p k gets the locally owned
    /// coefficients of $k_h$ (constraints distributed). Collective.
    void
    solve(LA::Vector &k);

    /// CG iterations of the last solve().
    unsigned int
    n_iterations() const;

  private:
    /// Add, cell by owned cell, the terms @p cell_terms puts into the cell
    /// matrix and right-hand side (zeroed before), through the constraints.
    void
    add_cell_terms(const std::function<void(const FEValues<dim> &,
                                            FullMatrix<double> &,
                                            Vector<double> &)> &cell_terms);

    const DoFHandler<dim> &          dofs;
    const AffineConstraints<double> &constraints;
    const Mapping<dim> &             mapping;
    const Quadrature<dim>            quadrature;
    const Settings                   settings;
    Targets<dim>                     target_points;
    LA::SparseMatrix                 matrix;
    LA::Vector                       rhs;
    unsigned int                     iterations;
  };
} // namespace mollifem

#endif
